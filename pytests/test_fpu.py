"""User floating point (F/D, kernel/arch/riscv/fpu.c): the fptest suite
(programs/fptest.c) booted once with `fpustat`, so that the kernel prints
each process's FP saves and restores when it exits; one pytest item per
case, the suite as a whole, and checks on those counts: the FP workers
were switched out with live state many times, the processes that do no FP
never paid for it.  Also: an FP fault kills only its process (a reserved
rounding mode; any FP instruction under `fpu=off`), the kernel's own code
has no FP instruction outside fpu.S, and fptest's expected results are
recomputed on the host."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT, KtapSuite, ktap_cases, ktap_timeout

FPTEST = "programs/fptest.c"
FPTEST_CASES = ktap_cases(FPTEST)
FPSTAT = re.compile(r"^pid (\d+) \((\S+)\): fpu: fs=(\w+) saves=(\d+) "
                    r"restores=(\d+)$", re.M)
WORKER = re.compile(r"^fptest: worker (\d) pid=(\d+) .* (ok|FAILED)$", re.M)


@pytest.fixture(scope="module")
def fptest_run(built):
    """One boot running every fptest case, with fpustat."""
    return KtapSuite("/bin/fptest", kargs="fpustat")


def fpstats(text):
    """pid -> (fs, saves, restores), from the fpustat lines."""
    return {int(m[0]): (m[2], int(m[3]), int(m[4]))
            for m in FPSTAT.findall(text)}


def stat_after(text, result):
    """The fpustat line printed right after a case's result line: the case
    process's own (it exits at once, while the runner waits for it)."""
    i = text.index(result)
    m = FPSTAT.search(text, i)
    assert m, f"no fpustat line after {result!r}"
    return m.group(3), int(m.group(4)), int(m.group(5))


@ktap_timeout
@pytest.mark.parametrize("case", FPTEST_CASES)
def test_fptest(fptest_run, case):
    fptest_run.check_case(case)


@ktap_timeout
def test_fptest_suite(fptest_run):
    fptest_run.check_suite(FPTEST_CASES)


@ktap_timeout
def test_fp_workers_switched_out_with_live_state(fptest_run):
    """Each worker was switched out Dirty and back in after another worker
    had loaded the registers many times (a 10 ms slice; each worker runs
    some 50 slices on this machine, more on a slower or busier one)."""
    text = fptest_run.text
    workers = WORKER.findall(text)
    assert sorted(w[0] for w in workers) == ["0", "1", "2"], text[-3000:]
    stats = fpstats(text)
    for k, pid, verdict in workers:
        assert verdict == "ok", text[-3000:]
        fs, saves, restores = stats[int(pid)]
        assert saves >= 10 and restores >= 10, (k, stats[int(pid)])


@ktap_timeout
def test_processes_without_fp_do_not_pay(fptest_run):
    """The runner (pid 1) and the cases that only read the registers stay
    Initial: never saved, restored (nor, as the code goes, zeroed unless
    needed).  The case that sleeps with Dirty state is saved at its first
    switch-out and never restored: nobody else touched the registers."""
    text = fptest_run.text
    assert fpstats(text).get(1) == ("initial", 0, 0), text[-3000:]
    for case in ("initial-zero", "initial-again"):
        num = FPTEST_CASES.index(case) + 1
        assert stat_after(text, f"ok {num} {case}\n") == \
            ("initial", 0, 0)
    num = FPTEST_CASES.index("kept-in-syscalls") + 1
    fs, saves, restores = stat_after(text, f"ok {num} kept-in-syscalls\n")
    assert (fs, saves, restores) == ("clean", 1, 0), (fs, saves, restores)


def shell_fault(boot, cmd, kargs=None):
    c = boot(init="/bin/ush", kargs=kargs)
    c.expect(r"\$ ")
    c.send(cmd)
    c.expect(r"pid (\d+) \(fptest\): killed: illegal instruction "
             r"\(scause 2\) sepc 0x[0-9a-f]+ stval 0x[0-9a-f]+\n")
    c.expect(r"sh: fptest: killed by signal 4\n")
    c.send("uecho still alive")
    c.expect(r"still alive\n")
    c.send("exit 0")
    assert c.wait_exit() == 0, c.text[-2000:]
    assert "survived" not in c.text, c.text[-2000:]
    return c.text


def test_fp_fault_kills_only_that_process(boot):
    """An FP instruction with the reserved rounding mode 5 in frm is an
    illegal instruction even with FP on."""
    shell_fault(boot, "fptest badrm")


def test_fp_off_fault_kills_only_that_process(boot):
    """fpu=off: processes start with sstatus.FS Off, as before the FPU was
    used; the first FP instruction kills the process, the shell goes on."""
    shell_fault(boot, "fptest touch", kargs="fpu=off")


def test_fp_on_by_default(boot):
    c = boot(init="/bin/fptest touch")
    c.expect(r"fptest: touch survived\n")
    assert c.wait_exit() == 0


def test_kernel_has_no_fp_instructions_outside_fpu_s(built):
    """The kernel's C code is built without F/D (so the compiler cannot
    use FP registers); only fpu.S's three functions hold FP instructions."""
    with open(os.path.join(ROOT, "build/kernel/cflags")) as f:
        march = re.search(r"-march=(\S+)", f.read()).group(1)
    assert not re.search(r"[fdgq]", march.split("_")[0][4:]), march
    asm = subprocess.run(["riscv64-unknown-elf-objdump", "-d",
                          "build/kernel.elf"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    fn, where = None, {}
    for line in asm.splitlines():
        m = re.match(r"^[0-9a-f]+ <(\S+)>:$", line)
        if m:
            fn = m.group(1)
            continue
        m = re.match(r"^\s+[0-9a-f]+:\s+[0-9a-f]+\s+(\S+)", line)
        if m and re.match(r"f(?!ence)", m.group(1)):
            where.setdefault(fn, set()).add(m.group(1))
    assert set(where) == {"fpu_save", "fpu_restore", "fpu_zero"}, where


REFERENCE_C = r"""
#include <fenv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#pragma STDC FENV_ACCESS ON
/* fptest.c's worker on the host: the same seeds, operations and hash */
static double d(uint64_t b) { double x; memcpy(&x, &b, 8); return x; }
static uint64_t u(double x) { uint64_t b; memcpy(&b, &x, 8); return b; }
int main(int argc, char **argv)
{
	static const int modes[] = { FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD };
	long steps = atol(argv[1]);

	for (int k = 0; k < 3; k++) {
		uint64_t s = (uint64_t)(k + 1) * 0x9e3779b97f4a7c15ULL, r[32], h;
		volatile double x[29], one = d(0x3ff0000000000000ULL),
				rr = d(0x400f333333333333ULL), t = 0;

		for (int i = 0; i < 29; i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			x[i] = d(0x3fd0000000000000ULL | (s >> 12));
		}
		fesetround(modes[k]);
		for (long n = 0; n < steps; n++)
			for (int i = 0; i < 29; i++) {
				t = one - x[i];
				t = t * x[i];
				x[i] = t * rr;
			}
		fesetround(FE_TONEAREST);
		for (int i = 0; i < 29; i++)
			r[i] = u(x[i]);
		r[29] = u(one);
		r[30] = u(rr);
		r[31] = u(t);
		h = 0xcbf29ce484222325ULL;
		for (int i = 0; i < 32; i++)
			for (int b = 0; b < 64; b += 8) {
				h ^= (r[i] >> b) & 0xff;
				h *= 0x100000001b3ULL;
			}
		printf("0x%016llx\n", (unsigned long long)h);
	}
	return 0;
}
"""


def test_fptest_expected_results_match_the_host(tmp_path):
    """IEEE 754 fixes every result bit of add, subtract and multiply in
    each rounding mode: the host's SSE arithmetic under fesetround() gives
    the values fptest.c expects."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("no host C compiler")
    with open(os.path.join(ROOT, FPTEST)) as f:
        src = f.read()
    steps = re.search(r"#define\s+STEPS\s+(\d+)", src).group(1)
    want = re.findall(r'\{\s*"r\w\w", \d, \w+, (0x[0-9a-f]{16})ULL\s*\}', src)
    assert len(want) == 3, want
    (tmp_path / "ref.c").write_text(REFERENCE_C)
    subprocess.run([cc, "-O0", "-frounding-math", "-ffp-contract=off",
                    "-o", str(tmp_path / "ref"), str(tmp_path / "ref.c"),
                    "-lm"], check=True)
    got = subprocess.run([str(tmp_path / "ref"), steps], check=True,
                         capture_output=True, text=True).stdout.split()
    assert got == want
