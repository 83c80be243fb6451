"""fork() after the device was used (issue 12, item 4): each case of
fork_cases.py runs in its own process group with a timeout, so a hang fails
the test (and is killed, children included) instead of blocking the suite."""

import os
import signal
import subprocess
import sys

import pytest

CASES = os.path.join(os.path.dirname(__file__), "fork_cases.py")
long_run = pytest.mark.skipif(
    not os.environ.get("COMPUSHADY_LONG_TESTS"),
    reason="long run: set COMPUSHADY_LONG_TESTS=1",
)
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")


def run_case(name, timeout):
    process = subprocess.Popen(
        [sys.executable, CASES, name],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        pytest.fail("case {0} hung (> {1} s):\n{2}".format(name, timeout, output))
    finally:
        # forked children left behind by a failed case
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert process.returncode == 0, output
    assert "OK " + name in output, output


@needs_fork
@pytest.mark.parametrize(
    "name",
    [
        "exit-after-use",
        "exit-status-and-output-kept",
        "inherited-objects-refuse",
        "new-objects-in-child",
        "pool-fork",
        "pool-spawn",
        "pool-forkserver",
    ],
)
def test_fork(name):
    run_case(name, timeout=120)


@needs_fork
@long_run
@pytest.mark.parametrize(
    "name", ["long-pools", "long-repeated-forks", "long-fork-while-threads-dispatch"]
)
def test_fork_long(name):
    run_case(name, timeout=540)
