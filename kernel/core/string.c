/*
 * Memory and string functions.  The compiler emits calls to memset/memcpy
 * for struct copies, so the kernel must provide them; and errno_message()
 * for the kernel's own error reports.  No locking.
 */
#include "core/string.h"
#include "uapi/errmsg.h"

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	if (((uint64_t)d & 7) == 0 && (n & 7) == 0) {
		uint64_t v = (uint8_t)c;
		uint64_t *q = dst;

		v |= v << 8;
		v |= v << 16;
		v |= v << 32;
		for (size_t i = 0; i < n / 8; i++)
			q[i] = v;
		return dst;
	}
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	return memmove(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n) {
		if ((((uint64_t)d | (uint64_t)s) & 7) == 0) {
			for (; n >= 8; n -= 8, d += 8, s += 8)
				*(uint64_t *)d = *(const uint64_t *)s;
		}
		while (n--)
			*d++ = *s++;
	} else {
		d += n;
		s += n;
		while (n--)
			*--d = *--s;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (uint8_t)*a - (uint8_t)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

/* What a (positive) Linux error number means, as strerror() says it. */
const char *errno_message(int err)
{
#define ERRNO_CASE(e, m) \
	case e:          \
		return m;
	switch (err) {
		ERRNO_MESSAGES(ERRNO_CASE)
	}
#undef ERRNO_CASE
	return "Unknown error";
}
