/*
 * threads: POSIX threads as glibc makes them on Linux (clone with
 * CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SETTLS|
 * CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, and futex), checked from a
 * glibc program built with Debian's riscv64-linux-gnu-gcc -static:
 * create/join, mutexes and condition variables under contention, TLS,
 * thread exit waking its joiner, exit_group and fatal signals taking every
 * thread, signals to one thread and to the process, execve and fork from a
 * thread, robust mutexes, futex(2)'s errors, and no page leaked.  KTAP,
 * one line per case (lktest.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#include "lktest.h"

#define NTHREADS 8

static long futex(void *uaddr, int op, uint32_t val, const void *ts,
		  void *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

/* start n threads of fn(i), join them; the sum of what they return */
static long run_threads(int n, void *(*fn)(void *))
{
	pthread_t t[NTHREADS * 2];
	long sum = 0;

	for (long i = 0; i < n; i++) {
		int e = pthread_create(&t[i], NULL, fn, (void *)i);

		if (e) {
			fail("pthread_create %ld: %d", i, e);
			return -1;
		}
	}
	for (int i = 0; i < n; i++) {
		void *r;
		int e = pthread_join(t[i], &r);

		if (e)
			fail("pthread_join %d: %d", i, e);
		sum += (long)r;
	}
	return sum;
}

/* ---- create and join ---- */

static pid_t tids[NTHREADS];

static void *who(void *arg)
{
	long i = (long)arg;

	tids[i] = gettid();
	if (getpid() != getppid() && getpid() == tids[i])
		return (void *)1000L; /* a thread's tid is not the pid */
	return (void *)(i * i);
}

static void t_create_join(void)
{
	long want = 0;

	for (int i = 0; i < NTHREADS; i++)
		want += i * i;
	expect_eq(run_threads(NTHREADS, who), want, "8 threads' results");
	for (int i = 0; i < NTHREADS; i++) {
		expect_eq(tids[i] > 0 && tids[i] != getpid(), 1,
			  "a thread's tid is its own");
		for (int j = 0; j < i; j++)
			expect_eq(tids[i] != tids[j], 1, "tids differ");
	}
	expect_eq(gettid(), getpid(), "the main thread's tid is the pid");
}

/* ---- mutexes and condition variables ---- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
#define ROUNDS 20000

static void *add(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		long c = counter;

		if ((i & 255) == 0)
			sched_yield(); /* hold it across a switch now and then */
		counter = c + 1;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void t_mutex(void)
{
	counter = 0;
	run_threads(NTHREADS, add);
	expect_eq(counter, (long)NTHREADS * ROUNDS,
		  "increments under a contended mutex");
}

#define QLEN 4
#define ITEMS 2000
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static long queue[QLEN], qhead, qtail, consumed_sum;

static void *producer(void *arg)
{
	for (long v = 1; v <= ITEMS; v++) {
		pthread_mutex_lock(&lock);
		while (qtail - qhead == QLEN)
			pthread_cond_wait(&not_full, &lock);
		queue[qtail++ % QLEN] = v;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	long got = 0;

	for (;;) {
		long v;

		pthread_mutex_lock(&lock);
		while (qtail == qhead)
			pthread_cond_wait(&not_empty, &lock);
		v = queue[qhead++ % QLEN];
		if (v > 0)
			consumed_sum += v;
		pthread_cond_broadcast(&not_full);
		pthread_mutex_unlock(&lock);
		if (v < 0)
			return (void *)got;
		got++;
	}
}

static void t_condvar(void)
{
	pthread_t p[2], c[4];
	long got = 0;

	for (int i = 0; i < 4; i++)
		pthread_create(&c[i], NULL, consumer, NULL);
	for (int i = 0; i < 2; i++)
		pthread_create(&p[i], NULL, producer, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(p[i], NULL);
	for (int i = 0; i < 4; i++) { /* one end mark per consumer */
		pthread_mutex_lock(&lock);
		while (qtail - qhead == QLEN)
			pthread_cond_wait(&not_full, &lock);
		queue[qtail++ % QLEN] = -1;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&lock);
	}
	for (int i = 0; i < 4; i++) {
		void *r;

		pthread_join(c[i], &r);
		got += (long)r;
	}
	expect_eq(got, 2 * ITEMS, "items consumed");
	expect_eq(consumed_sum, (long)ITEMS * (ITEMS + 1), "their sum");
}

static sem_t sem;

static void *sem_poster(void *arg)
{
	for (int i = 0; i < 1000; i++)
		sem_post(&sem);
	return NULL;
}

static void t_semaphore(void)
{
	pthread_t t[2];
	int v = -1;

	sem_init(&sem, 0, 0);
	pthread_create(&t[0], NULL, sem_poster, NULL);
	pthread_create(&t[1], NULL, sem_poster, NULL);
	for (int i = 0; i < 2000; i++)
		sem_wait(&sem);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	sem_getvalue(&sem, &v);
	expect_eq(v, 0, "2000 posts, 2000 waits");
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	expect_err(sem_timedwait(&sem, &ts), ETIMEDOUT,
		   "sem_timedwait on an empty semaphore");
}

/* ---- TLS ---- */

static __thread long tls_var = 5;
static __thread char tls_buf[64];

static void *tls_worker(void *arg)
{
	long i = (long)arg;

	if (tls_var != 5)
		return (void *)-1000L; /* each thread starts with the image */
	tls_var = i;
	snprintf(tls_buf, sizeof(tls_buf), "thread %ld", i);
	for (int k = 0; k < 50; k++)
		sched_yield();
	char want[64];

	snprintf(want, sizeof(want), "thread %ld", i);
	return (void *)(tls_var == i && !strcmp(tls_buf, want) ? 1L : -1000L);
}

static void t_tls(void)
{
	tls_var = 99;
	expect_eq(run_threads(NTHREADS, tls_worker), NTHREADS,
		  "every thread sees its own TLS");
	expect_eq(tls_var, 99, "the main thread's TLS untouched");
}

/* ---- thread exit ---- */

static void *exits_early(void *arg)
{
	pthread_exit((void *)77L);
	return NULL;
}

static volatile int detached_ran;

static void *detached(void *arg)
{
	detached_ran = 1;
	return NULL;
}

/* a raw thread: CLONE_CHILD_CLEARTID clears *ctid and wakes its futex */
static pid_t raw_ctid;
static char raw_stack[16384] __attribute__((aligned(16)));

static int raw_thread(void *arg)
{
	syscall(SYS_exit, 0); /* only this thread */
	return 0;
}

static void t_thread_exit(void)
{
	pthread_t t, d;
	pthread_attr_t a;
	void *r = NULL;

	pthread_create(&t, NULL, exits_early, NULL);
	expect_eq(pthread_join(t, &r), 0, "join a pthread_exit thread");
	expect_eq((long)r, 77, "its pthread_exit value");
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	expect_eq(pthread_create(&d, &a, detached, NULL), 0, "a detached one");
	for (int i = 0; i < 1000 && !detached_ran; i++)
		sched_yield();
	expect_eq(detached_ran, 1, "the detached thread ran");

	int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
		    CLONE_THREAD | CLONE_SYSVSEM | CLONE_CHILD_CLEARTID |
		    CLONE_PARENT_SETTID;
	pid_t ptid = 0;
	int tid = clone(raw_thread, raw_stack + sizeof(raw_stack), flags, NULL,
			&ptid, NULL, &raw_ctid);

	expect_eq(tid > 0 && tid == ptid, 1, "clone(CLONE_THREAD) gives a tid");
	raw_ctid = tid; /* racy only if it already ran: then it is 0 */
	while (raw_ctid) {
		long w = futex(&raw_ctid, FUTEX_WAIT, tid, NULL, NULL, 0);

		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			fail("futex wait on ctid: errno %d", errno);
			break;
		}
		if (w < 0 && errno == EAGAIN)
			break; /* cleared already */
	}
	expect_eq(raw_ctid, 0, "CLONE_CHILD_CLEARTID cleared the tid");
	expect_err(syscall(SYS_tgkill, getpid(), tid, 0), ESRCH,
		   "the exited thread is gone");
	/* sharing flags as Linux checks them */
	expect_err(syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0),
		   EINVAL, "CLONE_THREAD without CLONE_SIGHAND");
	expect_err(syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0), EINVAL,
		   "CLONE_SIGHAND without CLONE_VM");
}

/* ---- the whole group ---- */

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

static void *spinner(void *arg)
{
	for (;;)
		sched_yield();
	return NULL;
}

static void *exit_all(void *arg)
{
	usleep(1000);
	exit(5); /* exit_group: every thread */
	return NULL;
}

static int *volatile nullp;

static void *faulter(void *arg)
{
	usleep(1000);
	*nullp = 1;
	return NULL;
}

/* fork a process whose threads sleep and spin while one does `last` */
static int group_status(void *(*last)(void *))
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		pthread_t t;

		pthread_create(&t, NULL, sleeper, NULL);
		pthread_create(&t, NULL, spinner, NULL);
		pthread_create(&t, NULL, last, NULL);
		for (;;)
			pause();
	}
	waitpid(pid, &st, 0);
	return st;
}

static void t_exit_group(void)
{
	int st = group_status(exit_all);

	expect_eq(WIFEXITED(st) && WEXITSTATUS(st) == 5, 1,
		  "exit(5) in a thread ends the process with 5");
	st = group_status(faulter);
	expect_eq(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, 1,
		  "a fault in a thread kills the process with SIGSEGV");
}

/* the leader exits first (pthread_exit in main): the process lives on */
static void *last_one(void *arg)
{
	usleep(2000);
	return NULL;
}

static void t_leader_exits_first(void)
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		pthread_t t;

		pthread_create(&t, NULL, last_one, NULL);
		pthread_exit(NULL); /* the process exits 0 with its last thread */
	}
	expect_eq(waitpid(pid, &st, 0), pid, "waitpid");
	expect_eq(WIFEXITED(st) && WEXITSTATUS(st) == 0, 1,
		  "the process ends when its last thread does");
}

/* ---- signals ---- */

static volatile pid_t handled_by;
static volatile int handled;

static void on_usr1(int sig)
{
	handled_by = gettid();
	handled++;
}

static volatile pid_t target_tid;
static volatile int stop_waiting;

static void *wait_signal(void *arg)
{
	target_tid = gettid();
	while (!stop_waiting)
		sched_yield();
	return NULL;
}

static void t_signals(void)
{
	pthread_t t;
	sigset_t s;

	signal(SIGUSR1, on_usr1);
	pthread_create(&t, NULL, wait_signal, NULL);
	while (!target_tid)
		sched_yield();
	expect_eq(syscall(SYS_tgkill, getpid(), target_tid, SIGUSR1), 0,
		  "tgkill a thread");
	for (int i = 0; i < 1000 && !handled; i++)
		sched_yield();
	expect_eq(handled_by, target_tid, "the handler ran in that thread");
	expect_err(syscall(SYS_tgkill, getpid() + 100000, target_tid, 0), ESRCH,
		   "tgkill with the wrong tgid");
	/* to the process, with the main thread blocking it: the other runs it */
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	handled = 0;
	handled_by = 0;
	kill(getpid(), SIGUSR1);
	for (int i = 0; i < 1000 && !handled; i++)
		sched_yield();
	expect_eq(handled_by, target_tid,
		  "kill(getpid()) goes to a thread not blocking it");
	stop_waiting = 1;
	pthread_join(t, NULL);
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
}

/* ---- exec and fork from a thread ---- */

static void *exec_it(void *arg)
{
	char *argv[] = { "showargs", "from-thread", NULL };

	execv("/bin/showargs", argv);
	_exit(99);
	return NULL;
}

static void *fork_it(void *arg)
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(getpid() == gettid() ? 3 : 4);
	if (waitpid(pid, &st, 0) != pid)
		return (void *)-1L;
	return (void *)(long)(WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void t_exec_fork(void)
{
	int st = -1, pfd[2];
	pid_t pid;
	char buf[256] = "";

	if (pipe(pfd) < 0)
		return fail("pipe");
	pid = fork();
	if (pid == 0) {
		pthread_t t;

		dup2(pfd[1], 1);
		pthread_create(&t, NULL, spinner, NULL);
		pthread_create(&t, NULL, exec_it, NULL);
		for (;;)
			pause();
	}
	close(pfd[1]);
	for (int n = 0, r; (r = read(pfd[0], buf + n, sizeof(buf) - 1 - n)) > 0;)
		n += r;
	close(pfd[0]);
	expect_eq(waitpid(pid, &st, 0), pid, "the exec'd process keeps its pid");
	expect_eq(WIFEXITED(st), 1, "it exits normally");
	expect_eq(strstr(buf, "from-thread") != NULL, 1,
		  "execve from a thread runs the program");
	expect_eq(run_threads(1, fork_it), 3, "fork from a thread");
}

/* ---- robust mutexes ---- */

static pthread_mutex_t robust;

static void *lock_and_die(void *arg)
{
	pthread_mutex_lock(&robust);
	return NULL; /* exits holding it */
}

static void t_robust(void)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &a);
	run_threads(1, lock_and_die);
	expect_eq(pthread_mutex_lock(&robust), EOWNERDEAD,
		  "a robust mutex whose owner died");
	expect_eq(pthread_mutex_consistent(&robust), 0, "made consistent");
	expect_eq(pthread_mutex_unlock(&robust), 0, "and unlocked");
	expect_eq(pthread_mutex_lock(&robust), 0, "then taken normally");
	pthread_mutex_unlock(&robust);
}

/* ---- futex(2) ---- */

static uint32_t fword;

static void *wake_later(void *arg)
{
	usleep(2000);
	fword = 1;
	return (void *)futex(&fword, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL,
			     0);
}

static void t_futex(void)
{
	struct timespec ts = { 0, 5 * 1000000 }, bad = { 0, 1000000000 };
	pthread_t t;
	void *r;

	fword = 0;
	expect_err(futex(&fword, FUTEX_WAIT, 1, NULL, NULL, 0), EAGAIN,
		   "WAIT on a changed value");
	expect_err(futex(&fword, FUTEX_WAIT, 0, &ts, NULL, 0), ETIMEDOUT,
		   "WAIT with a timeout");
	expect_err(futex(&fword, FUTEX_WAIT, 0, &bad, NULL, 0), EINVAL,
		   "WAIT with tv_nsec 1e9");
	expect_err(futex((char *)&fword + 1, FUTEX_WAIT, 0, NULL, NULL, 0),
		   EINVAL, "an unaligned word");
	expect_err(futex((void *)16, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT,
		   "an unmapped word");
	expect_err(futex(&fword, FUTEX_WAIT, 0, (void *)16, NULL, 0), EFAULT,
		   "an unmapped timeout");
	expect_err(futex(&fword, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0), EINVAL,
		   "WAIT_BITSET with bitset 0");
	expect_err(futex(&fword, 99, 0, NULL, NULL, 0), ENOSYS,
		   "an unknown op");
	expect_err(futex(&fword, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL,
			 NULL, 0),
		   ENOSYS, "CLOCK_REALTIME with WAKE");
	expect_eq(futex(&fword, FUTEX_WAKE, 1, NULL, NULL, 0), 0,
		  "WAKE with no waiter");
	struct timespec past = { 0, 1 };

	expect_err(futex(&fword, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0,
			 &past, NULL, FUTEX_BITSET_MATCH_ANY),
		   ETIMEDOUT, "WAIT_BITSET with an absolute time passed");
	pthread_create(&t, NULL, wake_later, NULL);
	while (fword == 0)
		futex(&fword, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	pthread_join(t, &r);
	expect_eq((long)r, 1, "WAKE woke the one waiter");
	expect_err(futex(&fword, FUTEX_CMP_REQUEUE, 1, (void *)1, &fword, 7),
		   EAGAIN, "CMP_REQUEUE with a changed value");
	expect_err(futex(&fword, FUTEX_REQUEUE, 1, (void *)-1L, &fword, 0),
		   EINVAL, "REQUEUE of a negative count");
	uint32_t w2 = 5;

	/* WAKE_OP: *w2 += 3 (old 5), wake fword's; 5 == 5: wake w2's too */
	expect_eq(futex(&fword, FUTEX_WAKE_OP, 1, (void *)1, &w2,
			FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 5)),
		  0, "WAKE_OP without waiters");
	expect_eq(w2, 8, "WAKE_OP did its operation");
}

/* ---- FP in threads ---- */

static void *fp_worker(void *arg)
{
	volatile double x = (long)arg + 1.0;
	double acc = 0;

	for (int i = 0; i < 20000; i++) {
		acc += x * 0.5;
		if ((i & 1023) == 0)
			sched_yield();
	}
	return (void *)(long)(acc == 10000.0 * ((long)arg + 1.0) ? 1 : 0);
}

static void t_fp(void)
{
	expect_eq(run_threads(NTHREADS, fp_worker), NTHREADS,
		  "FP results exact in every thread");
}

/* ---- CPU-time clocks ---- */

/* set once the main thread has looked at the burner's clock: the burner
 * runs until then, so that it is still there however the two are scheduled */
static volatile int burn_seen;

static void *burn(void *arg)
{
	struct timespec ts;
	clockid_t c;

	pthread_getcpuclockid(pthread_self(), &c);
	do {
		if (clock_gettime(c, &ts) < 0)
			return (void *)-1L;
	} while ((ts.tv_nsec < 5 * 1000000 && ts.tv_sec == 0) || !burn_seen);
	return (void *)1L;
}

static void t_cpu_clocks(void)
{
	struct timespec a, b, t;
	pthread_t th;
	clockid_t c;
	void *r;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	pthread_create(&th, NULL, burn, NULL);
	expect_eq(pthread_getcpuclockid(th, &c), 0, "pthread_getcpuclockid");
	expect_eq(clock_gettime(c, &t), 0, "another thread's CPU clock");
	burn_seen = 1;
	pthread_join(th, &r);
	expect_eq((long)r, 1, "a thread's own CPU clock runs");
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	expect_eq(b.tv_sec * 1000000000L + b.tv_nsec -
			  (t.tv_sec * 1000000000L + t.tv_nsec) >=
		  5 * 1000000L, 1,
		  "the process clock counts the exited thread's 5 ms");
	expect_eq(b.tv_sec > a.tv_sec || b.tv_nsec >= a.tv_nsec, 1,
		  "the process clock does not go back");
	expect_eq(b.tv_sec > t.tv_sec ||
			  (b.tv_sec == t.tv_sec && b.tv_nsec >= t.tv_nsec),
		  1, "the process clock is at least the thread's");
}

/* ---- memory on demand ---- */

static pthread_barrier_t all_up;

static void *malloc_and_wait(void *arg)
{
	char *p = malloc(1000); /* a thread's malloc makes it an arena */

	if (p)
		memset(p, 1, 1000);
	pthread_barrier_wait(&all_up);
	free(p);
	return (void *)(long)(p != NULL);
}

static void t_lazy_memory(void)
{
	long before = free_pages(), used;
	size_t big = 64 << 20;
	char *m;

	pthread_barrier_init(&all_up, NULL, NTHREADS + 1);
	pthread_t t[NTHREADS];

	for (long i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, malloc_and_wait, (void *)i);
	pthread_barrier_wait(&all_up);
	used = before - free_pages();
	/* 8 stacks of RLIMIT_STACK (8 MiB) and malloc arenas reserved: 64 MiB
	 * and more, of which only the touched pages are memory */
	expect_eq(used < 1024, 1, "8 threads with arenas take < 4 MiB");
	long ok = 0;

	for (int i = 0; i < NTHREADS; i++) {
		void *r;

		pthread_join(t[i], &r);
		ok += (long)r;
	}
	expect_eq(ok, NTHREADS, "each thread's malloc");
	before = free_pages();
	m = mmap(NULL, big, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return fail("mmap 64 MiB: errno %d", errno);
	expect_eq(before - free_pages() < 16, 1, "64 MiB mapped, none used");
	for (int i = 0; i < 10; i++)
		m[i * (big / 10)] = i + 1;
	used = before - free_pages();
	expect_eq(used >= 10 && used < 40, 1, "10 pages touched, 10 used");
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		int good = 1;

		for (int i = 0; i < 10; i++)
			good &= m[i * (big / 10)] == i + 1 &&
				m[i * (big / 10) + 4096] == 0;
		_exit(good ? 0 : 1);
	}
	expect_eq(waitpid(pid, &st, 0), pid, "fork with 64 MiB mapped");
	expect_eq(WIFEXITED(st) && WEXITSTATUS(st) == 0, 1,
		  "the child sees the touched pages and zeros");
	munmap(m, big);
	expect_eq(free_pages() >= before - 4, 1, "munmap gives them back");
	struct sysinfo si;
	size_t over;

	sysinfo(&si);
	over = (si.totalram * si.mem_unit + (1 << 20)) & ~((1UL << 20) - 1);
	m = mmap(NULL, over, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_eq(m == MAP_FAILED && errno == ENOMEM, 1,
		  "writable and more than all memory: ENOMEM (overcommit "
		  "heuristic)");
	m = mmap(NULL, over, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	expect_eq(m != MAP_FAILED, 1, "the same with MAP_NORESERVE");
	if (m != MAP_FAILED) {
		m[over - 1] = 1;
		munmap(m, over);
	}
}

/* ---- the map changed by several threads at once ---- */

static void *map_files(void *arg)
{
	long bad = 0;
	int fd = open("/bin/threads", O_RDONLY);

	if (fd < 0)
		return (void *)1000L;
	for (int i = 0; i < 40; i++) {
		/* a private copy of ~700 KB: the copy pauses between chunks,
		 * and the other threads change the map meanwhile */
		unsigned char *m = mmap(NULL, 700 << 10, PROT_READ, MAP_PRIVATE,
					fd, 0);
		char *a = mmap(NULL, 3 << 12, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED || a == MAP_FAILED) {
			bad++;
			continue;
		}
		bad += memcmp(m, "\177ELF", 4) != 0;
		a[5000] = 1;
		bad += a[0] != 0;
		munmap(a, 3 << 12);
		munmap(m, 700 << 10);
	}
	close(fd);
	return (void *)bad;
}

static void t_map_race(void)
{
	expect_eq(run_threads(4, map_files), 0,
		  "4 threads mapping and unmapping at once");
}

/* ---- no leak ---- */

static void *nothing(void *arg)
{
	return arg;
}

static void cycles(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			run_threads(4, nothing);
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, NULL, 0) != pid) {
			fail("cycle %d: fork/wait errno %d", i, errno);
			return;
		}
		run_threads(2, nothing);
	}
}

static long start_pages;

static void t_leak_check(void)
{
	cycles(50);
	expect_eq(free_pages(), start_pages,
		  "free pages after every case and 50 thread cycles");
}

static const struct ktest_case cases[] = {
	KTEST_CASE("create-join", t_create_join),
	KTEST_CASE("mutex", t_mutex),
	KTEST_CASE("condvar", t_condvar),
	KTEST_CASE("semaphore", t_semaphore),
	KTEST_CASE("tls", t_tls),
	KTEST_CASE("thread-exit", t_thread_exit),
	KTEST_CASE("exit-group", t_exit_group),
	KTEST_CASE("leader-exits-first", t_leader_exits_first),
	KTEST_CASE("signals", t_signals),
	KTEST_CASE("exec-fork", t_exec_fork),
	KTEST_CASE("robust", t_robust),
	KTEST_CASE("futex", t_futex),
	KTEST_CASE("fp", t_fp),
	KTEST_CASE("cpu-clocks", t_cpu_clocks),
	KTEST_CASE("lazy-memory", t_lazy_memory),
	KTEST_CASE("map-race", t_map_race),
	KTEST_ALWAYS("leak-check", t_leak_check),
};

int main(int argc, char **argv)
{
	return lktest_main(argc, argv, "threads", cases, sizeof(cases) / sizeof(cases[0]),
			   cycles, &start_pages);
}
