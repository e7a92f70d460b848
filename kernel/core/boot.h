/*
 * What boot (main.c) leaves for the rest of the kernel: the normal core's
 * hart id, the init command line, and the kernel options.
 */
#ifndef KERNEL_CORE_BOOT_H
#define KERNEL_CORE_BOOT_H

#include "core/types.h"

extern int normal_hart;

extern const char *init_cmdline;
bool bootarg_present(const char *key);

#endif
