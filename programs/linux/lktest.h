/*
 * lktest.h: KTAP output for the glibc test programs in programs/linux/ (the
 * small glibc twin of programs/ktest.h, which needs libuser).  A suite is a
 * table of cases; lktest_main() prints the plan and runs each case in a
 * forked child of its own (an "always" case in the runner itself, such as
 * the leak check, which compares free pages with *start_pages, taken after
 * a warm-up), so that pytests make one item per case.  Given a case's
 * name (argv[1]), only that case runs (and no warm-up before it).
 */
#ifndef PROGRAMS_LINUX_LKTEST_H
#define PROGRAMS_LINUX_LKTEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

struct ktest_case {
	const char *name;
	void (*fn)(void);
	int always;
};
#define KTEST_CASE(name, fn) { name, fn, 0 }
#define KTEST_ALWAYS(name, fn) { name, fn, 1 }

static int failed;

static inline void fail(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failed = 1;
}

/* a result r with errno e, wanted: -want (an errno) or want >= 0 */
#define expect_err(r, want, what)                                              \
	do {                                                                   \
		long r_ = (r);                                                 \
		int e_ = errno;                                                \
		if (r_ != -1 || e_ != (want))                                  \
			fail("%s: got %ld errno %d, want errno %d", what, r_,  \
			     r_ == -1 ? e_ : 0, want);                         \
	} while (0)
#define expect_eq(a, b, what)                                                  \
	do {                                                                   \
		long a_ = (a), b_ = (b);                                       \
		if (a_ != b_)                                                  \
			fail("%s: got %ld, want %ld (errno %d)", what, a_, b_, \
			     errno);                                           \
	} while (0)
#define expect_str(a, b, what)                                                 \
	do {                                                                   \
		const char *a_ = (a), *b_ = (b);                               \
		if (!a_ || strcmp(a_, b_))                                     \
			fail("%s: got \"%s\", want \"%s\"", what,              \
			     a_ ? a_ : "(null)", b_);                          \
	} while (0)

/* fork a child running fn and exiting with its return value; its status */
static inline int run_child(int (*fn)(void))
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (pid < 0) {
		fail("fork: errno %d", errno);
		return -1;
	}
	if (waitpid(pid, &st, 0) != pid)
		fail("waitpid(%d): errno %d", pid, errno);
	return st;
}

/* free pages, as sysinfo says */
static inline long free_pages(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0)
		return -1;
	return si.freeram * si.mem_unit / 4096;
}

static int lktest_main(int argc, char **argv, const char *suite,
		       const struct ktest_case *cases, int n,
		       void (*warm_up)(int), long *start_pages)
{
	int bad = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 0; argc > 1 && i < n; i++) {
		if (strcmp(argv[1], cases[i].name))
			continue;
		cases = &cases[i];
		n = 1;
		break;
	}
	if (argc > 1 && n != 1) {
		printf("%s: no case %s\n", suite, argv[1]);
		return 2;
	}
	printf("KTAP version 1\n1..%d\n", n);
	if (argc == 1 || cases[0].always) { /* for the leak check */
		warm_up(10); /* whatever the kernel keeps after the first */
		*start_pages = free_pages();
	}
	for (int i = 0; i < n; i++) {
		int st = -1;

		if (cases[i].always) {
			failed = 0;
			cases[i].fn();
			st = failed;
		} else {
			pid_t pid = fork();

			if (pid == 0) {
				failed = 0;
				cases[i].fn();
				_exit(failed);
			}
			if (pid < 0 || waitpid(pid, &st, 0) != pid)
				st = -1;
			else if (WIFSIGNALED(st))
				printf("# killed by signal %d\n", WTERMSIG(st));
			else
				st = WEXITSTATUS(st);
		}
		printf("%sok %d %s\n", st ? "not " : "", i + 1, cases[i].name);
		bad += st != 0;
	}
	printf("%s: passed=%d failed=%d\n", suite, n - bad, bad);
	return bad != 0;
}

#endif
