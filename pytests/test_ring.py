"""The rings: io_uring set-up, the IO core's operations and their errors,
timeouts and out-of-order completion, link chains and drain, vectored I/O,
CQ overflow without loss, NEED_WAKEUP sleep and wakeup, several rings, exit
with 64 operations in flight and the no-leak check, in the parallel mode, the
deterministic mode and without the translation cache (one boot per mode,
one pytest item per ringtest case and mode: test_ringtest[MODE-CASE], the
names read from programs/ringtest.c, and one per mode for the suite as a
whole); and a liburing program written for Linux, compiled unchanged with
hosttools/ucc."""
import re
import subprocess

import pytest

from conftest import ROOT, KtapSuite, ktap_cases, ktap_timeout, run

RING_CASES = ktap_cases("programs/ringtest.c")
RING_MODES = {"parallel": {}, "icount": {"icount": True},
              "no-xlate-cache": {"kargs": "ringxlate=walk"}}

LINUX_LIBURING_PROGRAM = r"""
/* A small liburing program as written for Linux: copy a file to stdout
 * through the ring, several reads in flight, completions matched by
 * user_data. */
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define QD 4
#define BS 8

struct req { off_t off; size_t len; char *buf; };

int main(int argc, char *argv[])
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct stat st;
	int fd, ret, inflight = 0;
	off_t off = 0;

	if (argc < 2)
		return 2;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror("open");
		return 1;
	}
	ret = io_uring_queue_init(QD, &ring, 0);
	if (ret < 0) {
		fprintf(stderr, "queue_init: %s\n", strerror(-ret));
		return 1;
	}
	struct req *reqs = calloc((st.st_size + BS - 1) / BS, sizeof(*reqs));
	char *out = calloc(1, st.st_size + 1);
	int nreq = 0, done = 0;

	while (done < (st.st_size + BS - 1) / BS) {
		while (inflight < QD && off < st.st_size) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			struct req *r = &reqs[nreq++];
			void *buf;

			if (posix_memalign(&buf, 16, BS))
				return 1;
			r->off = off;
			r->len = st.st_size - off < BS ? st.st_size - off : BS;
			r->buf = buf;
			io_uring_prep_read(sqe, fd, r->buf, r->len, r->off);
			io_uring_sqe_set_data(sqe, r);
			off += r->len;
			inflight++;
		}
		io_uring_submit(&ring);
		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret < 0) {
			fprintf(stderr, "wait_cqe: %s\n", strerror(-ret));
			return 1;
		}
		struct req *r = io_uring_cqe_get_data(cqe);
		if (cqe->res != (int)r->len) {
			fprintf(stderr, "read: %d\n", cqe->res);
			return 1;
		}
		memcpy(out + r->off, r->buf, r->len);
		free(r->buf);
		io_uring_cqe_seen(&ring, cqe);
		inflight--;
		done++;
	}
	printf("liburing-cat: %s", out);
	io_uring_queue_exit(&ring);
	close(fd);
	return 0;
}
"""


@pytest.fixture(scope="module", params=list(RING_MODES))
def ringtest_run(request, built):
    """One boot per mode running every ringtest case."""
    return KtapSuite("/bin/ringtest", **RING_MODES[request.param])


@ktap_timeout
@pytest.mark.parametrize("case", RING_CASES)
def test_ringtest(ringtest_run, case):
    ringtest_run.check_case(case)


@ktap_timeout
def test_ringtest_suite(ringtest_run):
    """The plan, a result for every case, the summary line, exit status 0
    and leak-check."""
    ringtest_run.check_suite(RING_CASES)


def test_linux_liburing_program_compiles_unchanged(boot, tmp_path):
    src = tmp_path / "lcat.c"
    src.write_text(LINUX_LIBURING_PROGRAM)
    exe = tmp_path / "lcat"
    subprocess.run(["hosttools/ucc", "-O2", "-Werror", str(src), "-o",
                    str(exe)], cwd=ROOT, check=True)
    text, status = run(boot, "/bin/lcat /data/hello.txt", extra=[str(exe)])
    assert status == 0, text[-1500:]
    assert "liburing-cat: Hello from the memory file system." in text


def test_no_rings_without_an_io_core(boot):
    text, status = run(boot, "/bin/ringtest", cpus=1)
    assert "ringtest: cannot set up a ring: No such device" in text
    assert status == 1


def test_ringbench_normal_core_cost(boot):
    """Deterministic instruction counts (-icount): a ring NOP at batch 32
    costs the normal core at most 40 instructions (getting and filling the
    SQE, publishing it, reaping the CQE)."""
    text, status = run(boot, "/bin/ringbench", icount=True)
    assert status == 0, text[-2000:]
    rows = [dict(kv.split("=") for kv in m.split())
            for m in re.findall(r"^ringbench: (op=.*)$", text, re.M)]
    nop32 = next(r for r in rows if r["op"] == "nop" and r["batch"] == "32")
    normal, trap = float(nop32["normal"]), float(nop32["trap"])
    print(f"ring NOP batch 32: normal core {normal} instructions, "
          f"trap NOP {trap}, ratio {trap / normal:.1f}x")
    assert normal <= 40
    assert normal < trap
    for r in rows:
        assert float(r["io"]) > 0 and float(r["normal"]) > 0


@pytest.mark.parametrize("icount", [False, True], ids=["parallel", "icount"])
def test_iodemo_four_styles(boot, icount):
    text, status = run(boot, "/bin/iodemo", icount=icount)
    assert status == 0, text[-2000:]
    styles = dict(re.findall(r"^iodemo: style=(\S+) ops=16 ok=1 (.*)$", text,
                             re.M))
    assert set(styles) == {"raw-poll", "coroutine", "yield", "wait"}, text
    co = dict(kv.split("=") for kv in styles["coroutine"].split())
    # four coroutines, each parked on its reads and resumed by its CQEs
    assert co["coroutines"] == "4" and int(co["switches"]) >= 16 + 4


def test_ringcp_copies_a_program_that_then_runs(boot):
    c = boot(init="/bin/ush")
    c.expect(r"\$ ")
    c.send("ringcp /bin/uls /tmp/ls2")
    m = c.expect(r"ringcp: bytes=(\d+) reads=(\d+) writes=(\d+)\n")
    assert m.group(2) == m.group(3) and int(m.group(1)) > 4096
    c.send("/tmp/ls2 /data")
    c.expect(r"- +35 hello.txt")
    c.send("ringcp /data/missing /tmp/x")
    c.expect(r"ringcp: open: No such file or directory")
    c.send("exit 0")
    assert c.wait_exit() == 0
