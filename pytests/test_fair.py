"""One process must not freeze the others: programs/fairtest.c, run under
QEMU -icount (deterministic virtual time), has a ticker process sleep to
10 ms deadlines while another makes one long call -- a 1 GiB readv from a
sparse file and from /dev/zero, a 64 MiB writev to a file, a 1 GiB ring
READV (alone; with an munmap on the normal core of another page, and of the
READV's own buffer; from /dev/zero), 64 KiB to the console -- and checks that the ticker is never more than two time slices
(20 ms of virtual time) late and that the long call's data is right.  One
pytest item per case, read from the program's source."""
import re

import pytest

from conftest import KtapSuite, ktap_cases, ktap_timeout

FAIR_CASES = ktap_cases("programs/fairtest.c")


@pytest.fixture(scope="module")
def fairtest_run(built):
    """One boot under -icount running every case."""
    return KtapSuite("/bin/fairtest", icount=True)


@ktap_timeout
@pytest.mark.parametrize("case", FAIR_CASES)
def test_fairtest(fairtest_run, case):
    fairtest_run.check_case(case)


@ktap_timeout
def test_fairtest_suite(fairtest_run):
    """The plan, a result for every case, the summary, no leaks; and every
    long call was long enough for the ticker to wake during it."""
    fairtest_run.check_suite(FAIR_CASES)
    figures = dict(re.findall(r"# fairtest: ([\w-]+) worst_late_us=\d+ "
                              r"wakeups=(\d+)", fairtest_run.text))
    for case in ("readv-sparse", "zero-readv", "writev-file", "ring-readv",
                 "ring-munmap", "ring-zero"):
        assert int(figures.get(case, 0)) >= 3, fairtest_run.text[-3000:]
