/* mmap and munmap, with Linux's constants (picolibc has no <sys/mman.h>). */
#ifndef LIBUSER_SYS_MMAN_H
#define LIBUSER_SYS_MMAN_H

#include <sys/types.h>
#include <uapi/abi.h>

#define PROT_NONE 0
#define PROT_READ ABI_PROT_READ
#define PROT_WRITE ABI_PROT_WRITE
#define PROT_EXEC ABI_PROT_EXEC
#define MAP_SHARED ABI_MAP_SHARED
#define MAP_PRIVATE ABI_MAP_PRIVATE
#define MAP_FIXED ABI_MAP_FIXED
#define MAP_ANONYMOUS ABI_MAP_ANONYMOUS
#define MAP_ANON MAP_ANONYMOUS
#define MAP_POPULATE ABI_MAP_POPULATE
#define MAP_FAILED ((void *)-1)

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);

#endif
