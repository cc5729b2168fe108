"""Tests for course.sync: recorded primitives, the race and deadlock demos, charts, test helpers."""

from __future__ import annotations

import threading
import time

import pytest
from matplotlib.figure import Figure

from course import testing, sync
from course.timeline import READY, RUNNING, WAITING, Timeline

BOUND = 5.0  # seconds any single wait in these tests may take


def deposit(account, amount):
    """The unprotected read-modify-write the lesson starts from."""
    balance = account.read()
    account.write(balance + amount)


def kinds(timeline: Timeline, lane: str) -> list[str]:
    return [seg.kind for seg in timeline.segments() if seg.lane == lane]


class TestTrace:
    def test_records_spans_of_attached_thread(self):
        """A thread attached to a trace records its spans on its own lane."""
        trace = sync.Trace().attach()
        try:
            sync.work(0.002)
            sync.pause(0.002)
        finally:
            sync._local.trace = None
        timeline = trace.timeline()
        assert kinds(timeline, threading.current_thread().name) == [RUNNING, WAITING]

    def test_unattached_thread_records_nothing(self):
        """Without attach, work() and pause() only sleep."""
        assert sync.current_trace() is None
        sync.work(0.0)

    def test_open_span_ends_when_timeline_is_taken(self):
        """A thread blocked forever still shows, waiting up to the moment of the snapshot."""
        trace, entered, release = sync.Trace(), threading.Event(), threading.Event()

        def blocked():
            trace.attach()
            with trace.span(WAITING):
                entered.set()
                release.wait(BOUND)

        thread = threading.Thread(target=blocked, name="stuck", daemon=True)
        thread.start()
        try:
            assert entered.wait(BOUND)
            timeline = trace.timeline()
            assert kinds(timeline, "stuck") == [WAITING]
            assert sync.blocked_at_end(timeline) == ["stuck"]
        finally:
            release.set()
            thread.join(BOUND)

    def test_lanes_in_natural_order(self):
        """Lanes come out as thread 1, thread 2, ..., thread 10, not sorted as text."""
        run = sync.Threads([lambda: sync.work(0.0)] * 10).run(BOUND)
        assert run.timeline().lane_names == [f"thread {i}" for i in range(1, 11)]


class TestRecordedLock:
    def test_behaves_like_a_lock(self):
        """acquire/release/with work as on threading.Lock, and a timeout returns False."""
        lock = sync.RecordedLock("A")
        with lock:
            assert lock.locked() and lock.owner == threading.current_thread().name
            assert lock.acquire(timeout=0.01) is False
            assert lock.acquire(blocking=False) is False
        assert not lock.locked() and lock.owner is None

    def test_release_unlocked_raises(self):
        """Releasing a free lock raises RuntimeError, as threading.Lock does."""
        with pytest.raises(RuntimeError):
            sync.RecordedLock().release()

    def test_reentrant(self):
        """With reentrant=True the owner may take it again, and owns it until the last release."""
        lock = sync.RecordedLock("R", reentrant=True)
        with lock:
            with lock:
                assert lock.owner is not None
            assert lock.owner is not None
        assert lock.owner is None

    def test_records_wait_and_reports_holders(self):
        """A blocked acquire is drawn as waiting, and holders() names who holds and who waits."""
        lock, held = sync.RecordedLock("A"), threading.Event()
        lock.acquire()

        def waiter():
            held.set()
            with lock:
                pass

        run = sync.Threads([waiter], names=["waiter"]).start()
        try:
            assert held.wait(BOUND)
            deadline = time.monotonic() + BOUND
            while not lock.waiters and time.monotonic() < deadline:
                time.sleep(0.001)
            assert sync.holders([lock]) == (f"lock 'A': held by {lock.owner!r}, "
                                            "wanted by 'waiter'")
        finally:
            lock.release()
        assert run.join(BOUND)
        assert WAITING in kinds(run.timeline(), "waiter")

    def test_holders_rejects_other_locks(self):
        """holders() takes RecordedLocks only."""
        with pytest.raises(TypeError, match="RecordedLock"):
            sync.holders([threading.Lock()])


class TestRecordedSemaphore:
    def test_bounded_refuses_extra_release(self):
        """A bounded semaphore raises ValueError when released more than acquired."""
        with pytest.raises(ValueError):
            sync.RecordedSemaphore(2).release()

    def test_plain_grows(self):
        """bounded=False behaves like threading.Semaphore: an extra release adds a slot."""
        slots = sync.RecordedSemaphore(1, bounded=False)
        slots.release()
        assert sum(slots.acquire(blocking=False) for _ in range(3)) == 2

    @pytest.mark.parametrize("value, error", [(0, ValueError), (1.5, TypeError), (True, TypeError)])
    def test_rejects_bad_value(self, value, error):
        """The size must be an int >= 1."""
        with pytest.raises(error, match="value must be"):
            sync.RecordedSemaphore(value)


class TestOtherPrimitives:
    def test_event_queue_barrier_record_waits(self):
        """Waiting on an Event, a Queue's get and a Barrier shows as waiting."""
        go, items, barrier = sync.RecordedEvent(), sync.RecordedQueue(), sync.RecordedBarrier(2)

        def waiter():
            go.wait(BOUND)
            items.get(timeout=BOUND)
            barrier.wait(BOUND)

        def releaser():
            sync.work(0.005)
            go.set()
            sync.work(0.005)
            items.put(1)
            sync.work(0.005)
            barrier.wait(BOUND)

        run = sync.Threads([waiter, releaser]).run(BOUND)
        seen = kinds(run.timeline(), "waiter")  # event, get, barrier: a wait each, when blocked
        assert seen and set(seen) == {WAITING}

    def test_queue_get_nowait_on_empty_raises(self):
        """A non-blocking get on an empty RecordedQueue raises queue.Empty."""
        import queue
        with pytest.raises(queue.Empty):
            sync.RecordedQueue().get(block=False)

    def test_counting_event_counts(self):
        """CountingEvent counts every is_set() and wait() call."""
        stop = sync.CountingEvent()
        stop.is_set()
        stop.wait(0.001)
        assert stop.checks == 2


class TestAccount:
    def test_race_loses_deposits(self):
        """Unprotected read-modify-write on an Account loses deposits."""
        result = sync.race(deposit, threads=4, times=20)
        assert result.lost > 0 and result.max_stale >= 2
        assert "lost" in result.finding()

    def test_lock_prevents_losses(self):
        """A lock around read and write loses nothing; at most one thread holds a read."""
        lock = sync.RecordedLock("balance")

        def safe(account, amount):
            with lock:
                deposit(account, amount)

        result = sync.race(safe, threads=4, times=20)
        assert result.lost == 0 and result.max_stale == 1
        assert WAITING in {s.kind for s in result.timeline.segments()}

    def test_race_marks_stale_reads(self):
        """Between a read and its write the thread is drawn as ready."""
        assert READY in {s.kind for s in sync.race(deposit, 2, 3).timeline.segments()}

    def test_opposite_lock_order_deadlocks(self):
        """The account lock gives a turn once taken, so opposite-order locking deadlocks."""
        a, b = sync.Account(10, "A"), sync.Account(10, "B")

        def move(first, second):
            with first.lock:
                with second.lock:
                    pass

        with pytest.raises(AssertionError, match="did not finish"):
            testing.finishes_within(sync.Threads([(move, (a, b)), (move, (b, a))]).run, 1.0)

    def test_lost_per_run(self):
        """lost_per_run repeats the race and reports the losses of each run."""
        lost = sync.lost_per_run(deposit, runs=5)
        assert len(lost) == 5 and all(n > 0 for n in lost)

    @pytest.mark.parametrize("kwargs, error", [
        ({"threads": 0}, ValueError), ({"times": 0}, ValueError), ({"threads": 2.0}, TypeError)])
    def test_race_rejects_bad_arguments(self, kwargs, error):
        """threads and times must be ints >= 1."""
        with pytest.raises(error):
            sync.race(deposit, **kwargs)


class TestThreads:
    def test_results_and_default_names(self):
        """Results come back in order; distinct function names name the lanes."""
        def one():
            return 1

        def two():
            return 2

        run = sync.Threads([one, two]).run(BOUND)
        assert run.results == [1, 2] and run.names == ["one", "two"]

    def test_reraises_first_error(self):
        """run() re-raises an exception raised in a thread."""
        def boom():
            raise KeyError("boom")

        with pytest.raises(KeyError):
            sync.Threads([boom]).run(BOUND)

    def test_timeout_raises(self):
        """A thread still running after the timeout makes run() raise TimeoutError."""
        release = threading.Event()
        try:
            with pytest.raises(TimeoutError, match="did not finish within"):
                sync.Threads([lambda: release.wait(BOUND)]).run(0.05)
        finally:
            release.set()

    def test_timeline_ends_with_last_thread(self):
        """Once all threads ended, the timeline ends at the last end, not when it is asked for."""
        run = sync.Threads([lambda: sync.work(0.01)]).run(BOUND)
        first = run.timeline().end_ns
        time.sleep(0.01)
        assert run.timeline().end_ns == first

    @pytest.mark.parametrize("targets, error", [
        ([], ValueError), ([42], TypeError), ([(print, [1])], TypeError)])
    def test_rejects_bad_targets(self, targets, error):
        """Targets must be callables or (callable, tuple) pairs, at least one."""
        with pytest.raises(error, match="targets must"):
            sync.Threads(targets)

    def test_rejects_mismatched_names(self):
        """names must match the targets one to one."""
        with pytest.raises(ValueError, match="one name per target"):
            sync.Threads([print], names=["a", "b"])

    def test_start_twice_raises(self):
        """A Threads object runs once."""
        run = sync.Threads([print]).run(BOUND)
        with pytest.raises(RuntimeError, match="already started"):
            run.start()


class TestSwitchPoints:
    def test_loop_has_backward_jump_and_no_switch_inside_increment(self):
        """The increment's read and write have no switch point between them; the loop does."""
        counter = [0]

        def bump(times):
            for _ in range(times):
                counter[0] += 1

        ops = sync.switch_points(bump)
        assert any(may for _, _, may in ops)
        assert all(isinstance(op, str) for op, _, _ in ops)

    def test_rejects_builtin(self):
        """Only Python functions have bytecode to show."""
        with pytest.raises(TypeError, match="Python function"):
            sync.switch_points(len)


class TestDescribeCounterRace:
    GIL = "CPython 3.11.7 with the GIL"
    FREE = "CPython 3.13.5 free-threaded (GIL disabled)"

    def test_nothing_lost_under_the_gil(self):
        """No loss under the GIL: the build is named and the switch rule explains why."""
        text = sync.describe_counter_race([0, 0, 0], self.GIL, gil=True)
        assert text.startswith(f"On this kernel, **{self.GIL}**, **no update was lost in any "
                               "of the 3 trials.**")
        assert "only after a call or on a backward jump" in text

    def test_losses_without_a_gil(self):
        """Losses on a free-threaded build: counted, the largest quoted, the build named."""
        text = sync.describe_counter_race([0, 237316, 36691], self.FREE, gil=False)
        assert text.startswith(f"On this kernel, **{self.FREE}**, **updates were lost in 2 of "
                               "3 trials** (up to 237,316 in one). This Python runs **without "
                               "a GIL**")

    def test_lucky_run_without_a_gil(self):
        """No loss without a GIL is called luck, not safety."""
        text = sync.describe_counter_race([0, 0], self.FREE, gil=False)
        assert "this time they did not happen to" in text and "backward jump" not in text

    def test_losses_under_a_gil(self):
        """Losses with a GIL point at a switch inside the increment."""
        assert "can switch threads between the read and the write" in (
            sync.describe_counter_race([5], self.GIL, gil=True))

    def test_defaults_describe_this_kernel(self):
        """Without arguments, the running build is named."""
        from course.interpreters import describe_build
        assert f"**{describe_build()}**" in sync.describe_counter_race([0])

    def test_no_trials(self):
        """An empty list of trials is refused with the rule."""
        with pytest.raises(ValueError, match=r"lost must hold at least one trial \(got none\)"):
            sync.describe_counter_race([])


class TestLockCosts:
    def test_reports_each_variant(self):
        """lock_costs times the four variants, in positive nanoseconds."""
        costs = sync.lock_costs(n=2_000, repeat=1)
        assert list(costs) == ["no lock", "Lock", "RLock", "Lock, 4 threads"]
        assert all(value > 0 for value in costs.values())

    def test_rejects_bad_count(self):
        """n must be >= 1."""
        with pytest.raises(ValueError, match="n must be >= 1"):
            sync.lock_costs(n=0)


class TestCappedJobs:
    @pytest.mark.parametrize("limit, workers", [(1, 3), (3, 6), (4, 2)])
    def test_cap_holds_and_is_reached(self, limit, workers):
        """Never more than limit jobs at once, and min(limit, workers) together at some point."""
        timeline = sync.capped_jobs(limit, workers, jobs_each=2, job_s=0.01)
        testing.assert_at_most_at_once(timeline, limit, kind=RUNNING)
        testing.assert_reached(timeline, min(limit, workers), kind=RUNNING)

    @pytest.mark.parametrize("kwargs, message", [
        ({"limit": 0}, "limit must be >= 1"), ({"workers": 0}, "workers must be >= 1"),
        ({"job_s": 0}, "job_s must be > 0")])
    def test_rejects_bad_arguments(self, kwargs, message):
        """Bad sizes fail at the door with the rule in the message."""
        with pytest.raises(ValueError, match=message):
            sync.capped_jobs(**kwargs)


class TestFindings:
    def test_lock_finding_deadlock_and_finished(self):
        """lock_finding says deadlock when all lanes wait to the end, else how long they waited."""
        stuck = Timeline.from_segments([("t1", 0, 0.01, RUNNING), ("t1", 0.01, 1.0, WAITING),
                                        ("t2", 0, 0.01, RUNNING), ("t2", 0.01, 1.0, WAITING)])
        assert sync.lock_finding(stuck).startswith("deadlock: both threads blocked")
        done = Timeline.from_segments([("t1", 0, 0.02, RUNNING), ("t2", 0, 0.02, WAITING),
                                       ("t2", 0.02, 0.04, RUNNING)])
        assert sync.lock_finding(done).startswith("finished in 40 ms: blocked 20 ms in total")
        assert sync.blocked_at_end(done) == []


class TestCharts:
    def test_plot_race_title_states_the_loss(self):
        """plot_race returns a Figure whose title gives the deposits lost."""
        result = sync.race(deposit, 2, 5)
        fig = sync.plot_race(result, title="No lock")
        assert isinstance(fig, Figure)
        assert f"{result.lost} lost" in fig._suptitle.get_text()

    def test_plot_jobs_draws_the_cap(self):
        """plot_jobs draws the cap as a dashed line and names it in the title."""
        fig = sync.plot_jobs(sync.capped_jobs(2, 3, 1, 0.005), 2)
        assert "semaphore of 2" in fig._suptitle.get_text()
        assert any(line.get_linestyle() == "--" for ax in fig.axes for line in ax.lines)

    def test_plot_threads_marks_and_locks(self):
        """plot_threads draws marks; plot_locks titles the finding."""
        run = sync.Threads([lambda: sync.work(0.005)]).run(BOUND)
        fig = sync.plot_threads(run.timeline(), title="t", marks={"now": run.trace.start_ns})
        assert any("now" == text.get_text() for text in fig.axes[0].texts)
        assert "finished in" in sync.plot_locks(run.timeline())._suptitle.get_text()

    @pytest.mark.parametrize("timeline, kwargs, error", [
        ("not a timeline", {}, TypeError),
        (Timeline.from_segments([("a", 0, 1)]), {"count": "busy"}, ValueError)])
    def test_plot_threads_rejects_bad_input(self, timeline, kwargs, error):
        """A bad timeline or count fails at the door."""
        with pytest.raises(error):
            sync.plot_threads(timeline, title="t", **kwargs)

    def test_plot_race_rejects_other_objects(self):
        """plot_race wants a RaceResult."""
        with pytest.raises(TypeError, match="RaceResult"):
            sync.plot_race(Timeline.from_segments([("a", 0, 1)]))


class TestJobsExplorer:
    def test_update_reruns_with_the_new_cap(self):
        """Moving the sliders reruns the jobs and reports the new cap."""
        widget = sync.jobs_explorer(limit=2, workers=3)
        assert "semaphore size 2" in widget.text
        text = widget.update(limit=1, workers=2)
        assert "at most 1 at once (semaphore size 1)" in text

    def test_rejects_out_of_range(self):
        """Sizes beyond the sliders' ranges are refused."""
        with pytest.raises(ValueError, match="limit must be <= 8"):
            sync.jobs_explorer(limit=9)


class TestTestHelpers:
    def test_jobs(self):
        """napping_job returns its value; failing_job raises; echo_job returns its item."""
        assert sync.napping_job(3, 0)() == 3
        with pytest.raises(RuntimeError):
            sync.failing_job(0)()
        assert sync.echo_job(0)("x") == "x"

    def test_stop_after(self):
        """StopAfter sets the event on the n-th call."""
        stop = threading.Event()
        action = sync.StopAfter(stop, 2)
        action()
        assert not stop.is_set()
        action()
        assert stop.is_set() and action.calls == 2

    def test_expect_error_passes_and_fails_with_messages(self):
        """expect_error returns the error, or explains what happened instead."""
        def raises(x):
            raise ValueError(x)

        assert isinstance(sync.expect_error(ValueError, raises, 1, what="f(1)", hint="h"),
                          ValueError)
        with pytest.raises(AssertionError, match=r"f\(1\) should raise ValueError, but it "
                                                 r"returned 1.\nHint: h"):
            sync.expect_error(ValueError, lambda x: x, 1, what="f(1)", hint="h")
        with pytest.raises(AssertionError, match="raised KeyError"):
            sync.expect_error(ValueError, lambda: {}["k"], what="f()", hint="h")

    def test_expect_error_bounds_a_hang(self):
        """A call that never returns fails within the timeout."""
        release = threading.Event()
        try:
            with pytest.raises(AssertionError, match="did not finish"):
                sync.expect_error(ValueError, release.wait, what="wait()", hint="h",
                                  timeout=0.05)
        finally:
            release.set()

    def test_leftover_threads(self):
        """leftover_threads names threads started since the snapshot that outlive the grace."""
        before, release = set(threading.enumerate()), threading.Event()
        thread = threading.Thread(target=release.wait, args=(BOUND,), name="lingering",
                                  daemon=True)
        thread.start()
        try:
            assert sync.leftover_threads(before, grace=0.01) == ["lingering"]
        finally:
            release.set()
        assert sync.leftover_threads(before, grace=BOUND) == []
