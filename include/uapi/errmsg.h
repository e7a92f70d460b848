/*
 * What each Linux error number means, in glibc's words: the one table for
 * libuser's strerror() and the kernel's own messages (an init that cannot
 * start).  ERRNO_MESSAGES(X) expands X(ENAME, "message") per error.
 */
#ifndef UAPI_ERRMSG_H
#define UAPI_ERRMSG_H

#include "errno.h"

/* clang-format off */
#define ERRNO_MESSAGES(X) \
	X(EPERM, "Operation not permitted") \
	X(ENOENT, "No such file or directory") \
	X(ESRCH, "No such process") \
	X(EINTR, "Interrupted system call") \
	X(EIO, "Input/output error") \
	X(ENXIO, "No such device or address") \
	X(E2BIG, "Argument list too long") \
	X(ENOEXEC, "Exec format error") \
	X(EBADF, "Bad file descriptor") \
	X(ECHILD, "No child processes") \
	X(EAGAIN, "Resource temporarily unavailable") \
	X(ENOMEM, "Cannot allocate memory") \
	X(EACCES, "Permission denied") \
	X(EFAULT, "Bad address") \
	X(EBUSY, "Device or resource busy") \
	X(EEXIST, "File exists") \
	X(EXDEV, "Invalid cross-device link") \
	X(ENODEV, "No such device") \
	X(ENOTDIR, "Not a directory") \
	X(EISDIR, "Is a directory") \
	X(EINVAL, "Invalid argument") \
	X(ENFILE, "Too many open files in system") \
	X(EMFILE, "Too many open files") \
	X(ENOTTY, "Inappropriate ioctl for device") \
	X(EFBIG, "File too large") \
	X(ENOSPC, "No space left on device") \
	X(ESPIPE, "Illegal seek") \
	X(EROFS, "Read-only file system") \
	X(EPIPE, "Broken pipe") \
	X(EDOM, "Numerical argument out of domain") \
	X(ERANGE, "Numerical result out of range") \
	X(ENAMETOOLONG, "File name too long") \
	X(ENOSYS, "Function not implemented") \
	X(ENOTEMPTY, "Directory not empty") \
	X(ELOOP, "Too many levels of symbolic links") \
	X(ETIME, "Timer expired") \
	X(EOVERFLOW, "Value too large for defined data type") \
	X(EBADFD, "File descriptor in bad state") \
	X(EILSEQ, "Invalid or incomplete multibyte or wide character") \
	X(EOPNOTSUPP, "Operation not supported") \
	X(ETIMEDOUT, "Connection timed out") \
	X(EALREADY, "Operation already in progress") \
	X(ECANCELED, "Operation canceled")
/* clang-format on */

#endif
