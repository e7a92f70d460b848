/*
 * libuser's <sys/errno.h>, found before picolibc's: the errno variable as
 * picolibc declares it, with Linux's error numbers (include/uapi/errno.h),
 * which are what the kernel and the ring completions return.
 */
#ifndef _SYS_ERRNO_H_
#define _SYS_ERRNO_H_

#include <sys/config.h>
#include <uapi/errno.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifdef NEWLIB_GLOBAL_ERRNO
#define NEWLIB_THREAD_LOCAL_ERRNO
#else
#define NEWLIB_THREAD_LOCAL_ERRNO NEWLIB_THREAD_LOCAL
#endif

extern NEWLIB_THREAD_LOCAL_ERRNO int errno;
#define errno errno
#define __errno_r(ptr) (errno)
#define _REENT_ERRNO(r) (errno)
#define __ELASTERROR 2000

#ifdef __cplusplus
}
#endif
#endif
