/*
 * strerror for Linux's error numbers (libuser's errno values, see
 * include/sys/errno.h); replaces picolibc's, which knows newlib's numbers.
 * perror() in picolibc calls this one.  The messages are uapi/errmsg.h's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <uapi/errmsg.h>

#define MESSAGE(e, m) [e] = m,
static const char *const messages[] = {
	[0] = "Success",
	ERRNO_MESSAGES(MESSAGE)
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
