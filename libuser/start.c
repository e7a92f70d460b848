/*
 * Program start-up and the glue that makes picolibc's stdio work: stdin,
 * stdout and stderr are picolibc FILEs whose put/get functions make the
 * read and write system calls.  stdout is line-buffered (and flushed at
 * exit), stderr flushed after every call site's newline too, so that a
 * program's lines reach the console whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <uapi/trace.h>

extern void __libc_init_array(void);
extern int main(int argc, char **argv, char **envp);

char **environ;

struct linebuf {
	int fd;
	int len;
	char buf[256];
};

static struct linebuf out_buf = { .fd = 1 }, err_buf = { .fd = 2 };

static int lb_flush(struct linebuf *lb)
{
	int off = 0;

	while (off < lb->len) {
		ssize_t n = write(lb->fd, lb->buf + off, lb->len - off);

		if (n <= 0) {
			lb->len = 0;
			return _FDEV_ERR;
		}
		off += n;
	}
	lb->len = 0;
	return 0;
}

static int lb_put(struct linebuf *lb, char c)
{
	lb->buf[lb->len++] = c;
	if (c == '\n' || lb->len == (int)sizeof(lb->buf))
		return lb_flush(lb) ? _FDEV_ERR : (unsigned char)c;
	return (unsigned char)c;
}

static int out_put(char c, FILE *f)
{
	return lb_put(&out_buf, c);
}

static int err_put(char c, FILE *f)
{
	return lb_put(&err_buf, c);
}

static int out_flush(FILE *f)
{
	return lb_flush(&out_buf);
}

static int err_flush(FILE *f)
{
	return lb_flush(&err_buf);
}

static int in_get(FILE *f)
{
	unsigned char c;
	ssize_t n;

	fflush(stdout);
	n = read(0, &c, 1);
	if (n == 1)
		return c;
	return n == 0 ? _FDEV_EOF : _FDEV_ERR;
}

static FILE in_file = FDEV_SETUP_STREAM(NULL, in_get, NULL, _FDEV_SETUP_READ);
static FILE out_file = FDEV_SETUP_STREAM(out_put, NULL, out_flush,
					 _FDEV_SETUP_WRITE);
static FILE err_file = FDEV_SETUP_STREAM(err_put, NULL, err_flush,
					 _FDEV_SETUP_WRITE);

FILE *const stdin = &in_file;
FILE *const stdout = &out_file;
FILE *const stderr = &err_file;

static void flush_std(void)
{
	lb_flush(&out_buf);
	lb_flush(&err_buf);
}

/* the kernel's user trace area, if tracing is on (uapi/trace.h) */
struct utrace_area *__utrace;

void __libuser_start(int argc, char **argv, char **envp)
{
	char **e = envp;

	while (*e)
		e++;
	for (unsigned long *aux = (unsigned long *)(e + 1); aux[0]; aux += 2)
		if (aux[0] == AT_TRACE_AREA)
			__utrace = (struct utrace_area *)aux[1];
	environ = envp;
	atexit(flush_std);
	__libc_init_array();
	exit(main(argc, argv, envp));
}
