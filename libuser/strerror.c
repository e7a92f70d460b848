/*
 * strerror for Linux's error numbers (libuser's errno values, see
 * include/sys/errno.h); replaces picolibc's, which knows newlib's numbers.
 * perror() in picolibc calls this one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const messages[] = {
	[0] = "Success",
	[EPERM] = "Operation not permitted",
	[ENOENT] = "No such file or directory",
	[ESRCH] = "No such process",
	[EINTR] = "Interrupted system call",
	[EIO] = "Input/output error",
	[ENXIO] = "No such device or address",
	[E2BIG] = "Argument list too long",
	[ENOEXEC] = "Exec format error",
	[EBADF] = "Bad file descriptor",
	[ECHILD] = "No child processes",
	[EAGAIN] = "Resource temporarily unavailable",
	[ENOMEM] = "Cannot allocate memory",
	[EACCES] = "Permission denied",
	[EFAULT] = "Bad address",
	[EBUSY] = "Device or resource busy",
	[EEXIST] = "File exists",
	[EXDEV] = "Invalid cross-device link",
	[ENODEV] = "No such device",
	[ENOTDIR] = "Not a directory",
	[EISDIR] = "Is a directory",
	[EINVAL] = "Invalid argument",
	[ENFILE] = "Too many open files in system",
	[EMFILE] = "Too many open files",
	[ENOTTY] = "Inappropriate ioctl for device",
	[EFBIG] = "File too large",
	[ENOSPC] = "No space left on device",
	[ESPIPE] = "Illegal seek",
	[EROFS] = "Read-only file system",
	[EPIPE] = "Broken pipe",
	[EDOM] = "Numerical argument out of domain",
	[ERANGE] = "Numerical result out of range",
	[ENAMETOOLONG] = "File name too long",
	[ENOSYS] = "Function not implemented",
	[ENOTEMPTY] = "Directory not empty",
	[ELOOP] = "Too many levels of symbolic links",
	[ETIME] = "Timer expired",
	[EOVERFLOW] = "Value too large for defined data type",
	[EBADFD] = "File descriptor in bad state",
	[EILSEQ] = "Invalid or incomplete multibyte or wide character",
	[EOPNOTSUPP] = "Operation not supported",
	[ETIMEDOUT] = "Connection timed out",
	[EALREADY] = "Operation already in progress",
	[ECANCELED] = "Operation canceled",
};

char *strerror(int err)
{
	static char unknown[32];

	if (err >= 0 && err < (int)(sizeof(messages) / sizeof(messages[0])) &&
	    messages[err])
		return (char *)messages[err];
	snprintf(unknown, sizeof(unknown), "Unknown error %d", err);
	return unknown;
}
