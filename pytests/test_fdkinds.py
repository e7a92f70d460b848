"""timerfd and signalfd (programs/linux/fdkinds.c, a glibc KTAP suite, one
pytest item per case): timerfd_create/settime/gettime on the MONOTONIC,
REALTIME and BOOTTIME clocks (one-shot, periodic counts from time,
TFD_TIMER_ABSTIME, the time left, disarming, O_NONBLOCK, poll and select,
a blocked reader woken by a new setting, a forked child sharing the timer,
Linux's errors), signalfd4 (reading blocked signals raised by raise, kill
or a child, several in one read, a thread reading its process's signal,
the mask updated, O_NONBLOCK, poll, Linux's errors); no page leaked.  No case asserts that anything was fast:
counts that depend on time are checked against the time measured."""
import pytest

from conftest import KtapSuite, ktap_cases, ktap_timeout

FDKINDS_CASES = ktap_cases("programs/linux/fdkinds.c")


@pytest.fixture(scope="module")
def fdkinds_run(built):
    """One boot running every case of the suite."""
    return KtapSuite("/bin/fdkinds")


@pytest.mark.parametrize("case", FDKINDS_CASES)
def test_fdkinds(fdkinds_run, case):
    fdkinds_run.check_case(case)


@ktap_timeout
def test_fdkinds_suite_and_no_leaks(fdkinds_run):
    """The plan, every case, exit status 0 and the leak check (free pages
    the same after every case and 20 more timerfds and signalfds)."""
    fdkinds_run.check_suite(FDKINDS_CASES)
