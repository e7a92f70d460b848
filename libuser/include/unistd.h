/* picolibc's <unistd.h>, plus brk (Linux has it there; picolibc has not). */
#include_next <unistd.h>

#ifndef LIBUSER_UNISTD_H
#define LIBUSER_UNISTD_H
int brk(void *addr);
#endif
