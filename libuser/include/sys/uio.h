/* struct iovec, readv and writev (picolibc has no <sys/uio.h>). */
#ifndef LIBUSER_SYS_UIO_H
#define LIBUSER_SYS_UIO_H

#include <stddef.h>
#include <sys/types.h>

struct iovec {
	void *iov_base;
	size_t iov_len;
};

ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);

#endif
