"""liburing's own test suite (Debian 12's liburing 2.3, built static for
riscv64 by hosttools/liburing.sh) on this kernel: hosttools/conformance.py
boots once per test, as `make conformance` does.  Asserted: no kernel panic
(or second boot), no hang other than the known ones
(conformance_known_hangs.txt, each with its reason), and at least the pass
count in conformance_floor.txt, a floor raised as the kernel passes more
(never lowered); the tests in conformance_flaky.txt, whose outcome varies
from run to run, do not count toward it.  The table itself is in README.md ("Conformance")."""
import json
import os
import subprocess

import pytest

from conftest import ROOT

HERE = os.path.dirname(os.path.abspath(__file__))


def read_list(name):
    """The first word of each line of a file here, '#' comments left out."""
    with open(os.path.join(HERE, name)) as f:
        return [ln.split()[0] for ln in f
                if ln.strip() and not ln.lstrip().startswith("#")]


@pytest.fixture(scope="module")
def conformance(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("conformance") / "results.json"
    run = subprocess.run(["/usr/bin/python3", "hosttools/conformance.py",
                          "--json", str(out)], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    with open(out) as f:
        res = json.load(f)
    res["table"] = run.stdout
    return res


def named(res, outcome):
    return {r["test"]: r["detail"] for r in res["results"]
            if r["result"] == outcome}


@pytest.mark.timeout(1800)
def test_conformance_runs_every_test(conformance):
    with open(os.path.join(ROOT, "build", "liburing", "tests.list")) as f:
        want = f.read().split()
    assert [r["test"] for r in conformance["results"]] == want
    assert conformance["table"].splitlines()[-1].startswith(
        "conformance: pass="), conformance["table"][-2000:]


def test_conformance_no_panic(conformance):
    assert named(conformance, "panic") == {}


def test_conformance_no_new_hang(conformance):
    known = set(read_list("conformance_known_hangs.txt"))
    new = {t: d for t, d in named(conformance, "hang").items()
           if t not in known}
    assert new == {}, "new hangs (not in conformance_known_hangs.txt)"


def test_conformance_pass_floor(conformance):
    floor = int(read_list("conformance_floor.txt")[0])
    flaky = set(read_list("conformance_flaky.txt"))
    passed = [t for t in named(conformance, "pass") if t not in flaky]
    assert len(passed) >= floor, (
        f"{len(passed)} pass (not counting conformance_flaky.txt), the "
        f"floor is {floor}:\n" + conformance["table"])
