/*
 * The console line discipline (console.c): characters the UART received,
 * a line buffer that read(2) on the console takes from; its open files
 * have console_file_ops (fs/fs.h).
 */
#ifndef KERNEL_DRIVERS_CONSOLE_H
#define KERNEL_DRIVERS_CONSOLE_H

#include "core/types.h"

struct abi_stat;

void console_rx(int c);
void console_stat(struct abi_stat *st);

#endif
