/* mmap, munmap and mprotect, with Linux's constants (picolibc has no <sys/mman.h>). */
#ifndef LIBUSER_SYS_MMAN_H
#define LIBUSER_SYS_MMAN_H

#include <sys/types.h>
#include <uapi/abi.h>

#define PROT_NONE ABI_PROT_NONE
#define PROT_READ ABI_PROT_READ
#define PROT_WRITE ABI_PROT_WRITE
#define PROT_EXEC ABI_PROT_EXEC
#define MAP_SHARED ABI_MAP_SHARED
#define MAP_PRIVATE ABI_MAP_PRIVATE
#define MAP_SHARED_VALIDATE ABI_MAP_SHARED_VALIDATE
#define MAP_FIXED ABI_MAP_FIXED
#define MAP_FIXED_NOREPLACE ABI_MAP_FIXED_NOREPLACE
#define MAP_NORESERVE ABI_MAP_NORESERVE
#define MAP_STACK ABI_MAP_STACK
#define MAP_ANONYMOUS ABI_MAP_ANONYMOUS
#define MAP_ANON MAP_ANONYMOUS
#define MAP_POPULATE ABI_MAP_POPULATE
#define MAP_FAILED ((void *)-1)

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);

#endif
