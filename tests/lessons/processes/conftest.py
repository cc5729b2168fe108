"""Every test of lesson 4's instruments must leave no child process running."""

import multiprocessing
import time

import pytest

from course.start_methods import START_METHODS

# The cheapest start method, for tests that do not care which one runs.
FAST = "fork" if "fork" in START_METHODS else "spawn"


@pytest.fixture(autouse=True)
def no_leftover_processes():
    """Fail a test that leaves a child process running (and end the process)."""
    yield
    deadline = time.monotonic() + 5
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    leftovers = multiprocessing.active_children()
    for process in leftovers:
        process.kill()
    assert not leftovers, f"the test left processes running: {leftovers}"
