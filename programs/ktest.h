/*
 * ktest.h: the one way guest test programs check things and report them,
 * in KTAP (the Linux kernel's Test Anything Protocol, version 1), so that
 * pytests/conftest.py reads every suite with one parser.
 *
 * A suite is a table of cases, in the order they run:
 *
 *	static const struct ktest_case cases[] = {
 *		KTEST_CASE("open", t_open),		each in its own process
 *		KTEST_ALWAYS("leak-check", leak_check),	in the runner, always
 *	};
 *
 * (pytests parse this table from the source to make one pytest item per
 * case: keep one KTEST_CASE or KTEST_ALWAYS with a string literal name per
 * line.)  main() hands the suite to ktest_main(), which understands
 *
 *	PROG [--ktap-depth=N] [CASE...]	run every case, or these (and every
 *					KTEST_ALWAYS case), in table order
 *	PROG run CASE NUM [DEPTH]	run one case in this process (what the
 *					runner spawns for a KTEST_CASE)
 *
 * and prints
 *
 *	KTAP version 1
 *	1..N				the cases selected
 *	# what: got X, want Y		a failed check (diagnostic lines)
 *	not ok 3 open # what: got X, want Y	the first failure's reason
 *	ok 4 rw
 *	ok 5 ring # SKIP why
 *	not ok 6 wait # killed by signal 11	a case process that crashed
 *	PROG: passed=N failed=M		(and skipped=K if any)
 *
 * Exit status 0 if no case failed, else 1 (2 for a bad command line).
 * Cases are numbered 1..N in table order among those selected.  A case
 * must return, not exit: its process prints its own result line, and the
 * runner reads its exit status (0 ok, 1 not ok, KTEST_EXIT_SKIP skipped;
 * anything else is a crash, reported by the runner).  --ktap-depth=N
 * indents every line by 4*N spaces: a suite run by a case of another suite
 * is a KTAP subtest.
 *
 * Checks: each expect_*() returns whether it held; on failure it prints a
 * diagnostic "# " line (the description is a printf format, always the
 * last arguments) and the case fails.  Numbers that are -errno values are
 * shown with their names.
 */
#ifndef KTEST_H
#define KTEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <usys.h>

#define KTEST_EXIT_SKIP 4  /* a case process's status: skipped */
#define KTEST_MAX_DIAG	20 /* failure lines shown per case */

struct ktest_case {
	const char *name;
	void (*fn)(void);
	bool always; /* in the runner's own process, whatever is selected */
};

/* clang-format off */
#define KTEST_CASE(name, fn)   { name, fn, false }
#define KTEST_ALWAYS(name, fn) { name, fn, true }
/* clang-format on */

struct ktest_suite {
	const char *name; /* the program: "PROG: passed=..." */
	const char *path; /* spawned as "PATH run CASE NUM DEPTH" */
	const struct ktest_case *cases;
	int ncases;
	int (*init)(void); /* the runner, before the plan: nonzero stops */
};

/* clang-format off */
#define KTEST_SUITE(prog, table, init_fn)                                      \
	{ prog, "/bin/" prog, table, sizeof(table) / sizeof(table[0]),        \
	  init_fn }
/* clang-format on */

/* the running case */
static struct {
	const char *name;
	int depth;     /* KTAP nesting: 4 spaces each */
	int nfail;     /* failed checks */
	bool skipped;  /* ktest_skip() was called */
	char why[240]; /* the first failure, or the skip reason */
} ktest_cur;

/* ---- formatting ---- */

/* printf into one of a few rotating buffers (for messages) */
static inline const char *ktest_fmt(const char *f, ...)
	__attribute__((format(printf, 1, 2)));
static inline const char *ktest_fmt(const char *f, ...)
{
	static char bufs[8][200];
	static int next;
	char *b = bufs[next++ % 8];
	va_list ap;

	va_start(ap, f);
	vsnprintf(b, sizeof(bufs[0]), f, ap);
	va_end(ap);
	return b;
}

/* clang-format off */
#define KTEST_ERRNAME(e) { e, #e }
/* clang-format on */
static const struct {
	int num;
	const char *name;
} ktest_errnames[] = {
	KTEST_ERRNAME(EPERM),	   KTEST_ERRNAME(ENOENT),
	KTEST_ERRNAME(ESRCH),	   KTEST_ERRNAME(EINTR),
	KTEST_ERRNAME(EIO),	   KTEST_ERRNAME(ENXIO),
	KTEST_ERRNAME(E2BIG),	   KTEST_ERRNAME(ENOEXEC),
	KTEST_ERRNAME(EBADF),	   KTEST_ERRNAME(ECHILD),
	KTEST_ERRNAME(EAGAIN),	   KTEST_ERRNAME(ENOMEM),
	KTEST_ERRNAME(EACCES),	   KTEST_ERRNAME(EFAULT),
	KTEST_ERRNAME(EBUSY),	   KTEST_ERRNAME(EEXIST),
	KTEST_ERRNAME(EXDEV),	   KTEST_ERRNAME(ENODEV),
	KTEST_ERRNAME(ENOTDIR),	   KTEST_ERRNAME(EISDIR),
	KTEST_ERRNAME(EINVAL),	   KTEST_ERRNAME(ENFILE),
	KTEST_ERRNAME(EMFILE),	   KTEST_ERRNAME(ENOTTY),
	KTEST_ERRNAME(EFBIG),	   KTEST_ERRNAME(ENOSPC),
	KTEST_ERRNAME(ESPIPE),	   KTEST_ERRNAME(EROFS),
	KTEST_ERRNAME(EMLINK),	   KTEST_ERRNAME(EPIPE),
	KTEST_ERRNAME(ERANGE),	   KTEST_ERRNAME(ENAMETOOLONG),
	KTEST_ERRNAME(ENOSYS),	   KTEST_ERRNAME(ENOTEMPTY),
	KTEST_ERRNAME(ELOOP),	   KTEST_ERRNAME(EOVERFLOW),
	KTEST_ERRNAME(EOPNOTSUPP), KTEST_ERRNAME(ETIME),
	KTEST_ERRNAME(ECANCELED),
};
#undef KTEST_ERRNAME

/* "ENOENT" for ENOENT (positive), or NULL */
static inline const char *ktest_errname(long e)
{
	for (size_t i = 0;
	     i < sizeof(ktest_errnames) / sizeof(ktest_errnames[0]); i++)
		if (e == ktest_errnames[i].num)
			return ktest_errnames[i].name;
	return NULL;
}

/* a number; a -errno value also by name: "-2 (-ENOENT)" (not -1: that is
 * what libc calls return, with the error in errno) */
static inline const char *ktest_val(long v)
{
	const char *n = v < -1 ? ktest_errname(-v) : NULL;

	return n ? ktest_fmt("%ld (-%s)", v, n) : ktest_fmt("%ld", v);
}

/* a result that is expected to be -errno: "-ENOENT", else the number */
static inline const char *ktest_err(long v)
{
	const char *n = v < 0 ? ktest_errname(-v) : NULL;

	return n ? ktest_fmt("-%s", n) : ktest_fmt("%ld", v);
}

/* a wait status: "exit 3", "signal 11" (or -errno from a failed wait) */
static inline const char *ktest_status(long st)
{
	if (st < 0)
		return ktest_err(st);
	if (WIFEXITED(st))
		return ktest_fmt("exit %d", (int)WEXITSTATUS(st));
	if (WIFSIGNALED(st))
		return ktest_fmt("signal %d", (int)WTERMSIG(st));
	return ktest_fmt("status 0x%lx", st);
}

/* ---- output ---- */

/* one line at the current nesting depth; newlines inside become spaces */
static inline void ktest_line(const char *prefix, const char *text)
{
	char buf[300];

	snprintf(buf, sizeof(buf), "%s%s", prefix, text);
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	printf("%*s%s\n", 4 * ktest_cur.depth, "", buf);
	fflush(stdout);
}

/* a diagnostic line: "# text" */
static inline void ktest_diag(const char *f, ...)
	__attribute__((format(printf, 1, 2)));
static inline void ktest_diag(const char *f, ...)
{
	char buf[240];
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	ktest_line("# ", buf);
}

/* ---- failing and skipping ---- */

/* record a failure: "what: detail" (detail may be NULL) */
static inline bool ktest_vfail(const char *detail, const char *f, va_list ap)
{
	char what[160], msg[240];

	vsnprintf(what, sizeof(what), f, ap);
	if (detail)
		snprintf(msg, sizeof(msg), "%s: %s", what, detail);
	else
		snprintf(msg, sizeof(msg), "%s", what);
	if (ktest_cur.nfail == 0)
		snprintf(ktest_cur.why, sizeof(ktest_cur.why), "%s", msg);
	if (ktest_cur.nfail < KTEST_MAX_DIAG)
		ktest_line("# ", msg);
	else if (ktest_cur.nfail == KTEST_MAX_DIAG)
		ktest_line("# ", "(more failures not shown)");
	ktest_cur.nfail++;
	return false;
}

/* fail the case with a message; returns false */
static inline bool ktest_fail(const char *f, ...)
	__attribute__((format(printf, 1, 2)));
static inline bool ktest_fail(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	ktest_vfail(NULL, f, ap);
	va_end(ap);
	return false;
}

/* mark the case skipped (it should return next) */
static inline void ktest_skip(const char *f, ...)
	__attribute__((format(printf, 1, 2)));
static inline void ktest_skip(const char *f, ...)
{
	va_list ap;

	if (ktest_cur.skipped)
		return;
	ktest_cur.skipped = true;
	if (ktest_cur.nfail)
		return; /* the failure is the reason shown */
	va_start(ap, f);
	vsnprintf(ktest_cur.why, sizeof(ktest_cur.why), f, ap);
	va_end(ap);
}

/* ---- checks: the description (a printf format) comes last ---- */

#define KTEST_CHECK(ok, detail)                                                \
	do {                                                                   \
		va_list ap;                                                    \
                                                                               \
		if (ok)                                                        \
			return true;                                           \
		va_start(ap, f);                                               \
		ktest_vfail(detail, f, ap);                                    \
		va_end(ap);                                                    \
		return false;                                                  \
	} while (0)

#define KTEST_PRINTF(n) __attribute__((format(printf, n, n + 1)))

/* cond holds */
static inline bool expect_true(bool cond, const char *f, ...) KTEST_PRINTF(2);
static inline bool expect_true(bool cond, const char *f, ...)
{
	KTEST_CHECK(cond, "false");
}

/* got == want */
static inline bool expect_eq(long got, long want, const char *f, ...)
	KTEST_PRINTF(3);
static inline bool expect_eq(long got, long want, const char *f, ...)
{
	KTEST_CHECK(got == want, ktest_fmt("got %s, want %s", ktest_val(got),
					   ktest_val(want)));
}

/* got != bad */
static inline bool expect_ne(long got, long bad, const char *f, ...)
	KTEST_PRINTF(3);
static inline bool expect_ne(long got, long bad, const char *f, ...)
{
	KTEST_CHECK(got != bad,
		    ktest_fmt("got %s, want anything else", ktest_val(got)));
}

/* a raw result (-errno on failure) is the error want (-ENOENT) */
static inline bool expect_errno(long got, long want, const char *f, ...)
	KTEST_PRINTF(3);
static inline bool expect_errno(long got, long want, const char *f, ...)
{
	KTEST_CHECK(got == want, ktest_fmt("got %s, want %s", ktest_err(got),
					   ktest_err(want)));
}

/* got >= min */
static inline bool expect_ge(long got, long min, const char *f, ...)
	KTEST_PRINTF(3);
static inline bool expect_ge(long got, long min, const char *f, ...)
{
	KTEST_CHECK(got >= min,
		    ktest_fmt("got %s, want >= %ld", ktest_val(got), min));
}

/* lo <= got <= hi */
static inline bool expect_range(long got, long lo, long hi, const char *f, ...)
	KTEST_PRINTF(4);
static inline bool expect_range(long got, long lo, long hi, const char *f, ...)
{
	KTEST_CHECK(got >= lo && got <= hi,
		    ktest_fmt("got %s, want %ld..%ld", ktest_val(got), lo, hi));
}

/* a wait status (or -errno from spawn/wait) is want */
static inline bool expect_status(long got, long want, const char *f, ...)
	KTEST_PRINTF(3);
static inline bool expect_status(long got, long want, const char *f, ...)
{
	KTEST_CHECK(got == want, ktest_fmt("got %s, want %s", ktest_status(got),
					   ktest_status(want)));
}

/* n bytes at got are those at want */
static inline bool expect_mem(const void *got, const void *want, size_t n,
			      const char *f, ...) KTEST_PRINTF(4);
static inline bool expect_mem(const void *got, const void *want, size_t n,
			      const char *f, ...)
{
	const unsigned char *g = got, *w = want;
	size_t i = 0;

	while (i < n && g[i] == w[i])
		i++;
	KTEST_CHECK(i == n, ktest_fmt("byte %zu is 0x%02x, want 0x%02x", i,
				      g[i], w[i]));
}

/* ---- running ---- */

static inline const struct ktest_case *ktest_find(const struct ktest_suite *s,
						  const char *name)
{
	for (int i = 0; i < s->ncases; i++)
		if (!strcmp(s->cases[i].name, name))
			return &s->cases[i];
	return NULL;
}

/* print a result line: "ok N name", "not ok N name # why", "... # SKIP" */
static inline void ktest_result(bool ok, int num, const char *name,
				const char *directive, const char *why)
{
	char buf[280];

	snprintf(buf, sizeof(buf), "%s %d %s%s%s%s%s", ok ? "ok" : "not ok",
		 num, name, directive || why ? " #" : "", directive ? " " : "",
		 directive ? directive : "",
		 why && *why ? ktest_fmt(" %s", why) : "");
	ktest_line("", buf);
}

/* Run case c as number num in this process; print its result line.
 * Returns 0 (ok), 1 (not ok) or KTEST_EXIT_SKIP. */
static inline int ktest_run_here(const struct ktest_case *c, int num)
{
	ktest_cur.name = c->name;
	ktest_cur.nfail = 0;
	ktest_cur.skipped = false;
	ktest_cur.why[0] = 0;
	c->fn();
	if (ktest_cur.nfail) {
		const char *why = ktest_cur.why;

		if (ktest_cur.nfail > 1)
			why = ktest_fmt("%s (and %d more)", ktest_cur.why,
					ktest_cur.nfail - 1);
		ktest_result(false, num, c->name, NULL, why);
		return 1;
	}
	if (ktest_cur.skipped) {
		ktest_result(true, num, c->name, "SKIP", ktest_cur.why);
		return KTEST_EXIT_SKIP;
	}
	ktest_result(true, num, c->name, NULL, NULL);
	return 0;
}

/* Run case c as number num in a process of its own; as ktest_run_here. */
static inline int ktest_run_child(const struct ktest_suite *s,
				  const struct ktest_case *c, int num)
{
	char nbuf[16], dbuf[16];
	char *argv[] = {
		(char *)s->name, "run", (char *)c->name, nbuf, dbuf, NULL};
	const char *why;
	int st = 0;
	long pid, r;

	snprintf(nbuf, sizeof(nbuf), "%d", num);
	snprintf(dbuf, sizeof(dbuf), "%d", ktest_cur.depth);
	fflush(stdout);
	pid = spawn(s->path, argv);
	if (pid < 0) {
		why = ktest_fmt("spawn %s: %s", s->path, ktest_err(-errno));
	} else {
		r = waitpid(pid, &st, 0);
		if (r != pid)
			why = ktest_fmt("waitpid: %s",
					ktest_err(r < 0 ? -errno : r));
		else if (WIFEXITED(st) &&
			 (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 1 ||
			  WEXITSTATUS(st) == KTEST_EXIT_SKIP))
			return WEXITSTATUS(st); /* it printed its result */
		else if (WIFSIGNALED(st))
			why = ktest_fmt("killed by signal %d",
					(int)WTERMSIG(st));
		else
			why = ktest_fmt("ended with %s", ktest_status(st));
	}
	ktest_result(false, num, c->name, NULL, why);
	return 1;
}

static inline int ktest_usage(const struct ktest_suite *s, const char *why)
{
	fprintf(stderr,
		"%s: %s\nusage: %s [--ktap-depth=N] [CASE...]\ncases:", s->name,
		why, s->name);
	for (int i = 0; i < s->ncases; i++)
		fprintf(stderr, " %s", s->cases[i].name);
	fprintf(stderr, "\n");
	return 2;
}

/* The suite's main: see the top of this file. */
/*
 * The no-leak check every suite ends with: ktest_leak_baseline() in the
 * suite's init (before the first case), and a KTEST_ALWAYS("leak-check",
 * ktest_leak_check) case last, which reaps the orphans given to it (when
 * it is init) and compares the kernel's free pages with the baseline.
 */
static long ktest_base_pages;

static inline void ktest_leak_baseline(void)
{
	ktest_base_pages = free_pages();
}

static inline void ktest_leak_check(void)
{
	while (waitpid(-1, NULL, 0) > 0)
		;
	expect_eq(free_pages(), ktest_base_pages,
		  "free pages at the end vs the start");
}

static inline int ktest_main(const struct ktest_suite *s, int argc, char **argv)
{
	const struct ktest_case *c;
	bool sel[s->ncases];
	int first = 1, n = 0, num = 0, passed = 0, failed = 0, skipped = 0;

	if (argc > 1 && !strcmp(argv[1], "run")) {
		if (argc < 4 || !(c = ktest_find(s, argv[2])))
			return ktest_usage(s, "run: which case?");
		ktest_cur.depth = argc > 4 ? atoi(argv[4]) : 0;
		return ktest_run_here(c, atoi(argv[3]));
	}
	if (argc > 1 && !strncmp(argv[1], "--ktap-depth=", 13)) {
		ktest_cur.depth = atoi(argv[1] + 13);
		first = 2;
	}
	for (int i = 0; i < s->ncases; i++)
		sel[i] = first == argc || s->cases[i].always;
	for (int j = first; j < argc; j++) {
		if (!(c = ktest_find(s, argv[j])))
			return ktest_usage(s, ktest_fmt("no case %s", argv[j]));
		sel[c - s->cases] = true;
	}
	for (int i = 0; i < s->ncases; i++)
		n += sel[i];
	if (s->init && s->init())
		return 1;
	ktest_line("", "KTAP version 1");
	ktest_line("", ktest_fmt("1..%d", n));
	for (int i = 0; i < s->ncases; i++) {
		int r;

		if (!sel[i])
			continue;
		c = &s->cases[i];
		if (c->always)
			r = ktest_run_here(c, ++num);
		else
			r = ktest_run_child(s, c, ++num);
		if (r == 0)
			passed++;
		else if (r == KTEST_EXIT_SKIP)
			skipped++;
		else
			failed++;
	}
	ktest_line("",
		   ktest_fmt("%s: passed=%d failed=%d%s", s->name, passed,
			     failed,
			     skipped ? ktest_fmt(" skipped=%d", skipped) : ""));
	return failed ? 1 : 0;
}

#endif
