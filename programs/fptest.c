/*
 * fptest: user floating-point state (F/D) kept per process by the kernel.
 * A ktest.h suite (KTAP); the cases:
 *
 *   initial-zero     a new process starts with f0..f31 and fcsr all zero
 *   three-preempted  three workers (below) at once, each with another
 *                    rounding mode and another exception flag raised, long
 *                    enough to be preempted many times: each result exact
 *   kept-in-syscalls registers and fcsr unchanged across system calls,
 *                    yields and sleeps
 *   initial-again    as initial-zero, after other processes dirtied the
 *                    registers (the kernel must not leak them)
 *   leak-check       (in the runner) free pages as at the start
 *
 *   fptest worker K [STEPS]  one worker: K = 0, 1, 2 (rounding mode
 *                    RTZ, RDN, RUP; flag -, DZ, NV); prints
 *                    "fptest: worker K ... ok" or "... FAILED", exit 0 or 1
 *   fptest badrm     an FP instruction with a reserved rounding mode in
 *                    frm: an illegal instruction (the kernel kills it)
 *   fptest touch     one FP instruction, then "fptest: touch survived"
 *                    (killed for an illegal instruction under fpu=off)
 *
 * A worker runs 29 logistic-map orbits x <- r * x * (1 - x), r = 3.9, one
 * in each of f0..f28, with 1.0 in f29, r in f30 and f31 a temporary: 87
 * dynamically rounded fsub.d/fmul.d per step.  The map is chaotic, so one
 * lost bit, register or rounding-mode change anywhere makes the final
 * values differ completely.  The expected FNV-1a hash of the 32 final
 * registers (wanted[] below) was computed on the host with the same
 * operations under fesetround(); pytests/test_fpu.py recomputes it.
 *
 * Built with ucc for rv64imac/lp64 like every program: the FP instructions
 * are in inline asm (".option arch, +d"), and the values stay in the FP
 * registers between the asm statements, because the compiler never uses FP
 * registers for this soft-float code.
 */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <usys.h>

#include "ktest.h"

#define SELF	  "/bin/fptest"
#define NWORKER	  3
#define STEPS	  600000 /* per worker: some 0.5 s of QEMU time, 50 slices */
#define CHUNK	  100	 /* steps per asm call */
#define ONE	  0x3ff0000000000000ULL
#define R	  0x400f333333333333ULL /* 3.9 */
#define FFLAGS_NX 0x01
#define FFLAGS_DZ 0x08
#define FFLAGS_NV 0x10

static const struct {
	const char *name;
	unsigned int rm;   /* frm */
	unsigned int flag; /* raised once at the start */
	uint64_t want;	   /* hash of the registers after STEPS steps */
} workers[NWORKER] = {
	{"rtz", 1, 0, 0x973ad9c9da0c619aULL},
	{"rdn", 2, FFLAGS_DZ, 0x0b24de3b4e24846cULL},
	{"rup", 3, FFLAGS_NV, 0xe1b89f9002ebeb10ULL},
};

/* all 32 FP registers to / from r[0..31] */
static void fregs_load(const uint64_t r[32])
{
	__asm__ volatile(".option push\n.option arch, +d\n"
			 ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,"
			 "18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
			 "fld f\\n, \\n*8(%0)\n.endr\n.option pop"
			 :
			 : "r"(r)
			 : "memory");
}

static void fregs_store(uint64_t r[32])
{
	__asm__ volatile(".option push\n.option arch, +d\n"
			 ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,"
			 "18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
			 "fsd f\\n, \\n*8(%0)\n.endr\n.option pop"
			 :
			 : "r"(r)
			 : "memory");
}

static unsigned long fcsr_read(void)
{
	unsigned long v;

	__asm__ volatile(".option push\n.option arch, +f\n"
			 "frcsr %0\n.option pop"
			 : "=r"(v));
	return v;
}

static void fcsr_write(unsigned long v)
{
	__asm__ volatile(".option push\n.option arch, +f\n"
			 "fscsr %0\n.option pop" ::"r"(v));
}

/* n logistic steps on f0..f28 (f29 = 1.0, f30 = r, f31 scratch) */
static void fsteps(long n)
{
	__asm__ volatile(".option push\n.option arch, +d\n"
			 "1:\n"
			 ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,"
			 "17,18,19,20,21,22,23,24,25,26,27,28\n"
			 "fsub.d f31, f29, f\\n\n"
			 "fmul.d f31, f31, f\\n\n"
			 "fmul.d f\\n, f31, f30\n"
			 ".endr\n"
			 "addi %0, %0, -1\n"
			 "bnez %0, 1b\n"
			 ".option pop"
			 : "+r"(n)
			 :
			 : "memory");
}

/* raise one exception flag with f29 = 1.0, f31 as scratch */
static void fraise(unsigned int flag)
{
	if (flag == FFLAGS_DZ) /* 1 / 0 */
		__asm__ volatile(".option push\n.option arch, +d\n"
				 "fmv.d.x f31, zero\n"
				 "fdiv.d f31, f29, f31\n.option pop");
	else if (flag == FFLAGS_NV) /* 0 / 0 */
		__asm__ volatile(".option push\n.option arch, +d\n"
				 "fmv.d.x f31, zero\n"
				 "fdiv.d f31, f31, f31\n.option pop");
}

static uint64_t hash_regs(const uint64_t r[32])
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (int i = 0; i < 32; i++)
		for (int b = 0; b < 64; b += 8) {
			h ^= (r[i] >> b) & 0xff;
			h *= 0x100000001b3ULL;
		}
	return h;
}

/* worker k's starting values: doubles in [0.25, 0.5) from xorshift64 */
static void seeds(int k, uint64_t r[32])
{
	uint64_t s = (uint64_t)(k + 1) * 0x9e3779b97f4a7c15ULL;

	for (int i = 0; i < 29; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		r[i] = 0x3fd0000000000000ULL | (s >> 12);
	}
	r[29] = ONE;
	r[30] = R;
	r[31] = 0;
}

static int worker(int k, long steps)
{
	uint64_t r[32];
	unsigned long fcsr, want_fcsr;
	uint64_t t0 = rdtime(), gaps = 0, h;
	long done;

	seeds(k, r);
	fcsr_write(workers[k].rm << 5);
	fregs_load(r);
	fraise(workers[k].flag);
	for (done = 0; done < steps; done += CHUNK) {
		uint64_t t = rdtime();

		fsteps(CHUNK);
		if (rdtime() - t > 20000) /* 2 ms: another process ran */
			gaps++;
		if ((done / CHUNK) % 1024 == 1023) /* now and then */
			sched_yield();
	}
	fregs_store(r);
	fcsr = fcsr_read();
	h = hash_regs(r);
	want_fcsr = workers[k].rm << 5 | workers[k].flag | FFLAGS_NX;
	bool ok = fcsr == want_fcsr && r[29] == ONE && r[30] == R &&
		  (steps != STEPS || h == workers[k].want);

	printf("fptest: worker %d pid=%d rm=%s steps=%ld hash=0x%016llx "
	       "fcsr=0x%02lx gaps=%llu ticks=%llu %s\n",
	       k, getpid(), workers[k].name, steps, (unsigned long long)h, fcsr,
	       (unsigned long long)gaps, (unsigned long long)(rdtime() - t0),
	       ok ? "ok" : "FAILED");
	if (!ok)
		printf("fptest: worker %d: want hash=0x%016llx fcsr=0x%02lx\n",
		       k, (unsigned long long)workers[k].want, want_fcsr);
	return ok ? 0 : 1;
}

static void check_initial(void)
{
	uint64_t r[32];

	memset(r, 0x55, sizeof(r));
	fregs_store(r); /* reading does not make the state Dirty */
	for (int i = 0; i < 32; i++)
		expect_eq(r[i], 0, "f%d at start", i);
	expect_eq(fcsr_read(), 0, "fcsr at start");
}

static void t_initial_zero(void)
{
	check_initial();
}

static void t_three_preempted(void)
{
	long pid[NWORKER];

	for (int k = 0; k < NWORKER; k++) {
		char kbuf[4];
		char *argv[] = {SELF, "worker", kbuf, NULL};

		snprintf(kbuf, sizeof(kbuf), "%d", k);
		pid[k] = spawn(SELF, argv);
		expect_ge(pid[k], 1, "spawn worker %d", k);
	}
	for (int k = 0; k < NWORKER; k++) {
		int st = -1;

		if (pid[k] < 1)
			continue;
		expect_eq(waitpid(pid[k], &st, 0), pid[k], "waitpid worker %d",
			  k);
		expect_status(st, 0, "worker %d (rm=%s)", k, workers[k].name);
	}
}

static void t_kept_in_syscalls(void)
{
	uint64_t r[32], got[32];
	struct timespec ts = {0, 2000000}; /* 2 ms */

	for (int i = 0; i < 32; i++)
		r[i] = 0x4000000000000000ULL + (uint64_t)i * 0x0123456789abcULL;
	fcsr_write(2 << 5 | FFLAGS_DZ); /* RDN, DZ */
	fregs_load(r);
	for (int i = 0; i < 200; i++) {
		getpid();
		if (i % 10 == 0)
			sched_yield();
		if (i % 50 == 0)
			nanosleep(&ts, NULL);
	}
	fregs_store(got);
	expect_eq(fcsr_read(), 2 << 5 | FFLAGS_DZ, "fcsr after syscalls");
	expect_mem(got, r, sizeof(r), "f0..f31 after syscalls");
}

static void t_initial_again(void)
{
	check_initial();
}


static int start(void)
{
	ktest_leak_baseline();
	return 0;
}

/* clang-format off */
static const struct ktest_case cases[] = {
	KTEST_CASE("initial-zero", t_initial_zero),
	KTEST_CASE("three-preempted", t_three_preempted),
	KTEST_CASE("kept-in-syscalls", t_kept_in_syscalls),
	KTEST_CASE("initial-again", t_initial_again),
	KTEST_ALWAYS("leak-check", ktest_leak_check),
};
/* clang-format on */

static const struct ktest_suite suite = KTEST_SUITE("fptest", cases, start);

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "worker")) {
		int k = atoi(argv[2]);

		if (k < 0 || k >= NWORKER)
			return 2;
		return worker(k, argc > 3 ? atol(argv[3]) : STEPS);
	}
	if (argc > 1 && !strcmp(argv[1], "badrm")) {
		printf("fptest: badrm\n");
		fflush(stdout);
		fcsr_write(5 << 5); /* frm 5: reserved */
		__asm__ volatile(".option push\n.option arch, +d\n"
				 "fadd.d f0, f0, f0\n.option pop");
		printf("fptest: badrm survived\n");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "touch")) {
		printf("fptest: touch\n");
		fflush(stdout);
		__asm__ volatile(".option push\n.option arch, +d\n"
				 "fadd.d f0, f0, f0\n.option pop");
		printf("fptest: touch survived\n");
		return 0;
	}
	return ktest_main(&suite, argc, argv);
}
