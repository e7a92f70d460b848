/*
 * The C library functions the kernel has (string.c): memory and string
 * operations, and errno_message(), the text of an errno value
 * (include/uapi/errmsg.h).  No state, no locking.
 */
#ifndef KERNEL_CORE_STRING_H
#define KERNEL_CORE_STRING_H

#include "core/types.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
size_t strlcpy(char *dst, const char *src, size_t size);
char *strchr(const char *s, int c);
const char *errno_message(int err);

#endif
