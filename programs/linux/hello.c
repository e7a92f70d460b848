/*
 * hello: a program as a Linux user writes it, built with Debian's
 * riscv64-linux-gnu-gcc -static against glibc (not libuser).  It prints its
 * arguments, environment and what the auxiliary vector says, reads a file,
 * uses malloc and floating point, and exits with status 3, so that a test
 * can check each from the console.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp)
{
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	struct utsname u;
	char buf[128];
	char *p, *q;
	ssize_t n;
	int fd;

	for (int i = 0; i < argc; i++)
		printf("hello: argv[%d] = %s\n", i, argv[i]);
	for (char **e = envp; *e; e++)
		printf("hello: env %s\n", *e);
	printf("hello: AT_PAGESZ %lu AT_HWCAP %#lx AT_EXECFN %s\n",
	       getauxval(AT_PAGESZ), getauxval(AT_HWCAP),
	       (const char *)getauxval(AT_EXECFN));
	printf("hello: AT_RANDOM %s\n",
	       rnd && memcmp(rnd, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16)
		       ? "set"
		       : "missing");
	if (uname(&u) == 0)
		printf("hello: uname %s %s %s\n", u.sysname, u.release,
		       u.machine);
	fd = open("/data/hello.txt", O_RDONLY);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (n >= 0) {
		buf[n] = 0;
		printf("hello: read %zd bytes: %s", n, buf);
	} else {
		perror("hello: /data/hello.txt");
	}
	/* 100 KB comes from brk, 4 MiB from mmap (glibc's threshold: 128 KiB) */
	p = malloc(100000);
	q = malloc(4 << 20);
	if (p && q) {
		memset(p, 'x', 100000);
		memset(q, 'y', 4 << 20);
		printf("hello: malloc ok %s\n",
		       p[99999] == 'x' && q[(4 << 20) - 1] == 'y' ? "and kept" :
								  "but lost");
	}
	free(q);
	free(p);
	printf("hello: %.3f\n", 1.0 / 8.0 + argc);
	return 3;
}
