"""Tests for course.testing.processes: bounded calls that leave no process, watched contexts,
and the barrier worker for timelines of students' own processes."""

import multiprocessing
import multiprocessing.pool
import operator
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from course import testing
from course.start_methods import START_METHODS
from course.testing import processes

FAST = "fork" if "fork" in START_METHODS else "spawn"
BOUND_S = 30


@pytest.fixture(autouse=True)
def no_leftover_processes():
    """Every test must leave no child process running."""
    yield
    deadline = time.monotonic() + 5
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    leftovers = multiprocessing.active_children()
    for process in leftovers:
        process.kill()
    assert not leftovers, f"the test left processes running: {leftovers}"


@pytest.fixture
def main_only_function():
    """A function that exists only in __main__, like one defined in a notebook cell."""
    main = sys.modules["__main__"]

    def square_here(x):
        return x * x
    square_here.__module__, square_here.__qualname__ = "__main__", "square_here"
    main.square_here = square_here
    try:
        yield square_here
    finally:
        del main.square_here


def _start_sleeper(context):
    """Start a process that sleeps, and forget to join it."""
    context.Process(target=time.sleep, args=(20,), daemon=True).start()
    return "started"


def _leave_executor(context):
    """Start an executor's workers and return it without shutting it down."""
    executor = ProcessPoolExecutor(1, mp_context=context)
    executor.submit(abs, -2).result(BOUND_S)
    return executor


class TestProcessesEndWithin:
    def test_returns_value(self):
        """A call that finishes returns its value."""
        assert testing.processes_end_within(operator.add, BOUND_S, 2, 3) == 5

    def test_reraises(self):
        """A call that raises re-raises its own exception."""
        with pytest.raises(ZeroDivisionError):
            testing.processes_end_within(operator.truediv, BOUND_S, 1, 0)

    def test_leftover_process_fails_and_is_ended(self):
        """Returning while a started process runs fails, and the process is ended."""
        with pytest.raises(AssertionError, match=r"_start_sleeper returned while 1 process\(es\) "
                                                 r"it started were still running"):
            testing.processes_end_within(_start_sleeper, BOUND_S,
                                         multiprocessing.get_context(FAST))
        assert not multiprocessing.active_children()

    def test_leftover_executor_is_shut_down(self):
        """An executor left open fails the call, and its workers are ended."""
        with pytest.raises(AssertionError, match="still running"):
            testing.processes_end_within(_leave_executor, BOUND_S,
                                         multiprocessing.get_context(FAST))

    def test_hanging_pool_is_terminated(self, main_only_function):
        """A spawn pool whose workers cannot find the function fails within the bound, and
        the pool is terminated."""
        def hang():
            with multiprocessing.get_context("spawn").Pool(2) as pool:
                return pool.map(main_only_function, range(3))
        with pytest.raises(AssertionError, match="did not finish within 1 s"):
            testing.processes_end_within(hang, 1)
        assert not [p for p in processes._live_pools()
                    if getattr(p, "_state", None) == multiprocessing.pool.RUN]

    @pytest.mark.parametrize("args, error, message", [
        ((42, 1), TypeError, "fn must be callable"),
        ((abs, 0), ValueError, r"seconds must be > 0 \(got 0\)")])
    def test_bad_arguments(self, args, error, message):
        """A non-callable or a bound that is not > 0 is refused."""
        with pytest.raises(error, match=message):
            testing.processes_end_within(*args)


class TestWatchedContext:
    def test_notes_what_it_is_asked_for(self):
        """Pools, processes and queues are noted in order; the rest is the real context's."""
        context = testing.WatchedContext(FAST)
        queue = context.Queue()
        with context.Pool(1) as pool:
            assert pool.apply(abs, (-1,)) == 1
        assert context.asked == ["Queue", "Pool"]
        assert context.get_start_method() == FAST and repr(context) == f"<WatchedContext {FAST!r}>"
        queue.close()
        context.assert_asked("Pool")

    def test_an_executor_asks_for_processes(self):
        """A ProcessPoolExecutor given the context starts its workers from it."""
        context = testing.WatchedContext(FAST)
        with ProcessPoolExecutor(1, mp_context=context) as executor:
            assert executor.submit(abs, -3).result(BOUND_S) == 3
        context.assert_asked("Process")

    def test_unused_context_fails_with_a_hint(self):
        """A context never asked for a Pool fails, saying what it was asked for."""
        context = testing.WatchedContext("spawn")
        context.Value("i", 0)
        with pytest.raises(AssertionError) as caught:
            context.assert_asked("Pool", "Process", hint="use it")
        assert str(caught.value) == ("the spawn context passed as `context` was never asked for "
                                     "a Pool or Process (it was asked for: Value).\nHint: use it")

    def test_unknown_method(self):
        """An unknown start method is refused."""
        with pytest.raises(ValueError, match=r"method must be one of .* \(got 'clone'\)"):
            testing.WatchedContext("clone")


class TestMeetInLane:
    def test_lanes_wait_together(self):
        """Processes meeting at a barrier put lanes whose waits overlap."""
        context = multiprocessing.get_context(FAST)
        barrier, lanes = context.Barrier(2), context.Queue()
        rec = testing.JobTracker()._recorder
        children = [context.Process(target=testing.meet_in_lane, args=(lanes, f"w{i}", barrier))
                    for i in range(2)]
        for child in children:
            child.start()
        rec.add([lanes.get(timeout=BOUND_S) for _ in children])
        for child in children:
            child.join(BOUND_S)
        assert testing.assert_reached(rec.timeline(), 2, kind="waiting") == 2


class TestFreshContext:
    def test_children_lack_this_process_memory(self, main_only_function):
        """A function that exists only in __main__ cannot run in a fresh context's child."""
        context = testing.fresh_context()
        assert context.get_start_method() in ("forkserver", "spawn")
        child = context.Process(target=main_only_function, args=(2,))
        child.start()
        child.join(BOUND_S)
        assert child.exitcode == 1

    def test_watched(self):
        """A WatchedContext can watch a context object, such as a fresh one."""
        fresh = testing.fresh_context()
        context = testing.WatchedContext(fresh)
        with context.Pool(1) as pool:
            assert pool.apply(abs, (-4,)) == 4
        assert context.asked == ["Pool"] and context.get_start_method() == fresh.get_start_method()
