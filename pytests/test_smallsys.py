"""The ordinary system calls glibc programs and their test suites need
beyond the basics (programs/linux/smallsys.c, a glibc KTAP suite, one
pytest item per case): statx, faccessat/faccessat2, madvise, RLIMIT_NOFILE
at every call that makes an fd and F_GETFL's O_LARGEFILE, ppoll/pselect6
applying their signal mask, and the demand-paged growing stack (deep
recursion, the kernel's copies into stack pages not yet touched,
RLIMIT_STACK's end, fork copying only the pages in use); no page leaked."""
import re

import pytest

from conftest import KtapSuite, ktap_cases, ktap_timeout

SMALLSYS_CASES = ktap_cases("programs/linux/smallsys.c")


@pytest.fixture(scope="module")
def smallsys_run(built):
    """One boot running every case of the suite."""
    return KtapSuite("/bin/smallsys")


@pytest.mark.parametrize("case", SMALLSYS_CASES)
def test_smallsys(smallsys_run, case):
    smallsys_run.check_case(case)


@ktap_timeout
def test_smallsys_suite_and_no_leaks(smallsys_run):
    """The plan, every case, exit status 0 and the leak check (free pages
    the same after every case and 20 children using 2 MiB of stack)."""
    smallsys_run.check_suite(SMALLSYS_CASES)


def test_stack_overflow_is_a_reported_fault(smallsys_run):
    """Recursion beyond RLIMIT_STACK ends as any fault does: the kernel
    names it (and the parent sees WTERMSIG 11: stack-deep)."""
    assert re.search(r"pid \d+ \(smallsys\): killed: store page fault",
                     smallsys_run.text), smallsys_run.text[-2000:]
