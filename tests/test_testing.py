"""Tests for course.testing: time bounds, race probes, job timelines, capture and fingerprints."""

import os
import sys
import threading
import time

import pytest

from course import testing
from course.lessons.sync import Account, SlowCounter
from course.testing import Capture, JobTracker, RaceReport
from course.timeline import RUNNING, WAITING, Timeline

BOUND_S = 1  # time limit the tests give code that is meant to hang
WAIT_S = 5  # bound on every wait that is meant to succeed


class LockedCounter(SlowCounter):
    """The thread-safe counter a student is expected to write."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            super().increment()


class LockPerCallCounter(SlowCounter):
    """A classic mistake: a fresh lock on every call protects nothing."""

    def increment(self):
        with threading.Lock():
            super().increment()


def message_of(excinfo) -> str:
    return str(excinfo.value)


class TestFinishesWithin:
    def test_returns_the_value(self):
        """A call that finishes in time returns its value; args and kwargs are passed on."""
        assert testing.finishes_within(divmod, WAIT_S, 17, 5) == (3, 2)
        assert testing.finishes_within(sorted, WAIT_S, [3, 1, 2], reverse=True) == [3, 2, 1]

    def test_reraises_the_students_own_error(self):
        """An exception from fn reaches the caller unchanged, traceback included."""
        error = KeyError("missing")

        def broken():
            raise error

        with pytest.raises(KeyError) as excinfo:
            testing.finishes_within(broken, WAIT_S)
        assert excinfo.value is error
        assert "broken" in [entry.name for entry in excinfo.traceback]

    def test_deadlock_is_reported_within_the_bound(self):
        """Opposite-order locking is caught after the bound, naming the stuck lines."""
        lock_a, lock_b = threading.Lock(), threading.Lock()
        both_hold_one = threading.Barrier(2)

        def first():
            lock_a.acquire()
            both_hold_one.wait(WAIT_S)
            lock_b.acquire()

        def second():
            lock_b.acquire()
            both_hold_one.wait(WAIT_S)
            lock_a.acquire()

        def transfer():
            threads = [threading.Thread(target=first, name="first"),
                       threading.Thread(target=second, name="second")]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        started = time.monotonic()
        try:
            with pytest.raises(AssertionError) as excinfo:
                testing.finishes_within(transfer, BOUND_S)
            elapsed = time.monotonic() - started
        finally:  # a Lock may be released by any thread: this unblocks both
            lock_a.release()
            lock_b.release()
        text = message_of(excinfo)
        assert text.startswith("did not finish within 1 s: deadlock or endless loop?\n")
        assert "thread 'checked TestFinishesWithin.test_deadlock_is_reported_within_the_bound" \
               ".<locals>.transfer'" in text
        assert "(waiting inside threading.Thread.join)" in text
        assert "thread 'first' at line" in text and ": lock_b.acquire()" in text
        assert "thread 'second' at line" in text and ": lock_a.acquire()" in text
        assert "test_testing.py, in TestFinishesWithin" in text
        assert elapsed < 3 * BOUND_S

    def test_endless_loop_is_reported(self):
        """A busy loop is caught too, and its line is shown."""
        stop = threading.Event()

        def spin():
            while not stop.is_set():
                pass

        try:
            with pytest.raises(AssertionError) as excinfo:
                testing.finishes_within(spin, 0.2)
        finally:
            stop.set()
        assert "did not finish within 0.2 s" in message_of(excinfo)
        assert "spin()" in message_of(excinfo)

    def test_lists_only_threads_of_the_call(self):
        """Threads that were already running before the call stay out of the report."""
        release = threading.Event()
        bystander = threading.Thread(target=release.wait, args=(WAIT_S,), name="bystander",
                                     daemon=True)
        bystander.start()
        try:
            with pytest.raises(AssertionError) as excinfo:
                testing.finishes_within(release.wait, 0.2, WAIT_S)
        finally:
            release.set()
        assert "bystander" not in message_of(excinfo)
        assert "thread 'checked Event.wait'" in message_of(excinfo)

    @pytest.mark.parametrize("seconds, error, message", [
        (0, ValueError, "seconds must be > 0 (got 0)"),
        (-1.5, ValueError, "seconds must be > 0 (got -1.5)"),
        (float("nan"), ValueError, "seconds must be > 0 (got nan)"),
        (float("inf"), ValueError, "seconds must be finite: every wait is bounded (got inf)"),
        ("5", TypeError, "seconds must be a number (got str)"),
        (True, TypeError, "seconds must be a number (got bool)"),
    ])
    def test_rejects_bad_seconds(self, seconds, error, message):
        """A time limit must be a finite number of seconds above zero."""
        with pytest.raises(error) as excinfo:
            testing.finishes_within(print, seconds)
        assert message_of(excinfo) == message

    def test_rejects_a_non_callable(self):
        """fn must be callable."""
        with pytest.raises(TypeError) as excinfo:
            testing.finishes_within(42, 1)
        assert message_of(excinfo) == "fn must be callable (got int)"


class TestRaceProbe:
    def test_unlocked_counter_loses_updates_every_time(self):
        """Read-pause-write without a lock loses updates in every trial of every probe."""
        for _ in range(5):
            report = testing.race_probe(SlowCounter, timeout=WAIT_S)
            assert all(lost > 0 for lost in report.lost), report.summary()
            assert report.raced and report.expected == (80, 80, 80)

    def test_locked_counter_loses_nothing(self):
        """Holding one lock across read and write keeps every update."""
        for _ in range(5):
            report = testing.race_probe(LockedCounter, timeout=WAIT_S)
            assert report.observed == (80, 80, 80) and not report.raced

    def test_a_lock_per_call_is_caught(self):
        """A lock created inside the method protects nothing, and the probe shows it."""
        assert testing.race_probe(LockPerCallCounter, timeout=WAIT_S).raced

    def test_custom_step_observe_and_gain(self):
        """Transfers conserve money (gain 0); each worker gets its own number."""
        workers = set()

        def make():
            return Account(100, "a"), Account(100, "b")

        def step(accounts, worker):
            workers.add(worker)
            source, target = accounts if worker % 2 else accounts[::-1]
            first, second = sorted(accounts, key=id)  # one global order: no deadlock
            with first.lock, second.lock:
                source.withdraw(1)
                target.deposit(1)

        report = testing.race_probe(make, step, lambda accounts: sum(a.balance for a in accounts),
                                   gain=0, threads=3, iterations=10, trials=2, timeout=WAIT_S)
        assert report.expected == report.observed == (200, 200)
        assert workers == {0, 1, 2}

    def test_step_error_is_reraised(self):
        """An exception in a step reaches the caller unchanged."""
        def step(obj, worker):
            raise ZeroDivisionError("step failed")

        with pytest.raises(ZeroDivisionError, match="step failed"):
            testing.race_probe(SlowCounter, step, timeout=WAIT_S)

    def test_a_hanging_step_is_reported(self):
        """A step that never returns is reported after the timeout, naming the probe threads."""
        release = threading.Event()

        def step(obj, worker):
            release.wait(WAIT_S)

        try:
            with pytest.raises(AssertionError) as excinfo:
                testing.race_probe(SlowCounter, step, timeout=0.3)
        finally:
            release.set()
        assert message_of(excinfo).startswith("did not finish within 0.3 s")
        assert "thread 'probe 1'" in message_of(excinfo)
        assert "thread 'checked race_probe'" in message_of(excinfo)

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"threads": 1}, ValueError, "threads must be >= 2 (got 1)"),
        ({"threads": 2.0}, TypeError, "threads must be an int (got float)"),
        ({"iterations": 0}, ValueError, "iterations must be >= 1 (got 0)"),
        ({"trials": 0}, ValueError, "trials must be >= 1 (got 0)"),
        ({"timeout": 0}, ValueError, "timeout must be > 0 (got 0)"),
        ({"gain": "1"}, TypeError, "gain must be a number (got str)"),
        ({"make": None}, TypeError, "make must be callable (got NoneType)"),
        ({"step": 3}, TypeError, "step must be callable (got int)"),
    ])
    def test_rejects_bad_arguments(self, kwargs, error, message):
        """Bad arguments fail at the door with the rule and the value."""
        arguments = {"make": SlowCounter, **kwargs}
        with pytest.raises(error) as excinfo:
            testing.race_probe(**arguments)
        assert message_of(excinfo) == message

    def test_patched_sleep_cannot_hide_the_race(self):
        """Replacing time.sleep with a no-op does not stop the slow counter from yielding."""
        original = time.sleep
        time.sleep = lambda seconds: None
        try:
            report = testing.race_probe(SlowCounter, timeout=WAIT_S)
        finally:
            time.sleep = original
        assert report.raced


class TestRaceReport:
    def test_summaries(self):
        """The report counts losses per trial and says so in one line."""
        clean = RaceReport(4, 20, (80, 80), (80, 80))
        racy = RaceReport(4, 20, (80, 80), (23, 81))
        assert clean.lost == (0, 0) and not clean.raced and clean.trials == 2
        assert racy.lost == (57, -1) and racy.raced
        assert clean.summary() == ("4 threads x 20 updates, 2 trial(s): every update counted "
                                   "(80 each time)")
        assert racy.summary() == "4 threads x 20 updates, 2 trial(s): expected 80, got 23, 81"


class TestAssertNoLostUpdates:
    def test_passes_a_locked_counter(self):
        """A correct counter passes and the report comes back."""
        report = testing.assert_no_lost_updates(LockedCounter, timeout=WAIT_S)
        assert report.observed == (80, 80, 80)

    def test_fails_an_unlocked_counter_with_a_hint(self):
        """Lost updates fail with the expected total, the real one, and a hint."""
        with pytest.raises(AssertionError) as excinfo:
            testing.assert_no_lost_updates(SlowCounter, timeout=WAIT_S)
        text = message_of(excinfo)
        assert text.startswith("the counter should be 80 after 4 threads made 20 updates each at "
                               "the same time, but it is ")
        assert "(trial 1 of 3: " in text and " short).\nHint: two threads read the same" in text

    def test_custom_words_and_too_many(self):
        """The message uses the given name and hint, and reports extra updates too."""
        class Double(LockedCounter):
            def increment(self):
                super().increment()
                super().increment()

        with pytest.raises(AssertionError) as excinfo:
            testing.assert_no_lost_updates(Double, threads=2, iterations=5, trials=1,
                                          timeout=WAIT_S, what="the hits", hint="add once")
        assert message_of(excinfo) == (
            "the hits should be 10 after 2 threads made 5 updates each at the same time, "
            "but it is 20 (trial 1 of 1: 10 too many).\nHint: add once")


class TestJobTracker:
    def test_overlapping_jobs_are_seen_waiting_together(self):
        """Jobs that meet at a barrier must overlap, and the timeline proves it."""
        tracker = JobTracker()
        meet = threading.Barrier(3)
        job = tracker.wrap(lambda: meet.wait(WAIT_S))
        threads = [threading.Thread(target=job, name=f"job {i}") for i in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT_S)
        timeline = tracker.timeline("meet")
        assert tracker.jobs == 3
        assert sorted(timeline.lane_names) == ["job 0", "job 1", "job 2"]
        assert {s.kind for s in timeline.segments()} == {WAITING}
        assert testing.assert_overlap(timeline, 3, kind=WAITING) > 0
        assert testing.assert_distinct_threads(timeline, 3) == 3

    def test_kind_and_failures(self):
        """A job's kind can be set per wrap; a failing job is still recorded and re-raises."""
        tracker = JobTracker(kind="work")

        def fail():
            raise RuntimeError("job failed")

        tracker.wrap(abs)(-1)
        with pytest.raises(RuntimeError, match="job failed"):
            tracker.wrap(fail, kind="wait")()
        kinds = sorted(s.kind for s in tracker.timeline().segments())
        assert tracker.jobs == 2 and kinds == [RUNNING, WAITING]

    def test_sequential_jobs_share_one_lane(self):
        """Jobs run one after another in one thread land on one lane and never overlap."""
        tracker = JobTracker()
        job = tracker.wrap(time.sleep)
        for _ in range(3):
            job(0)
        timeline = tracker.timeline()
        assert len(timeline.lanes) == 1 and len(timeline.lanes[0]["spans"]) == 3
        assert testing.assert_at_most_at_once(timeline, 1) == 1

    @pytest.mark.parametrize("make, error, message", [
        (lambda: JobTracker(kind="sleep"), ValueError,
         "kind must be one of running, waiting, work, wait (got 'sleep')"),
        (lambda: JobTracker().wrap(None), TypeError, "fn must be callable (got NoneType)"),
    ])
    def test_rejects_bad_arguments(self, make, error, message):
        """Unknown kinds and non-callables are refused with the rule."""
        with pytest.raises(error) as excinfo:
            make()
        assert message_of(excinfo) == message


class TestCountingJob:
    def test_counts_and_records_each_call(self):
        """Calls return 1, 2, ...; each is a span on the lane of the thread that made it."""
        job = testing.CountingJob(pause=0)
        assert [job(), job()] == [1, 2]
        timeline = job.timeline()
        assert job.calls == 2 and len(timeline.lanes) == 1
        first, second = sorted(timeline.segments(), key=lambda s: s.start_ns)
        assert first.end_ns <= second.start_ns and first.kind == WAITING

    def test_calls_from_two_threads_get_two_lanes(self):
        """Two threads calling it show as two lanes with their thread ids."""
        job = testing.CountingJob(pause=0.01)
        threads = [threading.Thread(target=job, name=f"caller {i}") for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT_S)
        lanes = job.timeline().lanes
        assert sorted(lane["name"] for lane in lanes) == ["caller 0", "caller 1"]
        assert len({lane["tid"] for lane in lanes}) == 2

    def test_rejects_a_negative_pause(self):
        """The pause is a non-negative number of seconds."""
        with pytest.raises(ValueError) as excinfo:
            testing.CountingJob(pause=-1)
        assert message_of(excinfo) == "pause must be >= 0 and finite (got -1)"


def synthetic(*rows):
    return Timeline.from_segments(rows)


def with_pids(*lanes):
    """A timeline whose lanes carry (name, pid, tid) and one span each."""
    exports = [{"name": name, "pid": pid, "tid": tid, "spans": [(0, 10, WAITING)], "cpu_ns": None,
                "clock_pair": None, "launch_ns": None, "classified": True}
               for name, pid, tid in lanes]
    return Timeline.from_lanes(exports, 0, 10, check_window=False)


SERIAL = [("a", 0, 1, WAITING), ("b", 1, 2, WAITING)]
TRIPLE = [("a", 0, 1, WAITING), ("b", 0.5, 1.5, WAITING), ("c", 0.75, 2, RUNNING)]


class TestAssertOverlap:
    def test_overlap_returns_its_duration(self):
        """Overlapping lanes pass; the seconds with enough lanes at once come back."""
        assert testing.assert_overlap(synthetic(*TRIPLE)) == pytest.approx(1.0)
        assert testing.assert_overlap(synthetic(*TRIPLE), 3) == pytest.approx(0.25)
        assert testing.assert_overlap(synthetic(*TRIPLE), kind=WAITING) == pytest.approx(0.5)

    def test_serial_lanes_fail_with_the_jobs_listed(self):
        """Touching is not overlapping: the message says how many ran at once and when."""
        with pytest.raises(AssertionError) as excinfo:
            testing.assert_overlap(synthetic(*SERIAL))
        assert message_of(excinfo) == (
            "expected at least 2 jobs active at the same time, but at most 1 was active at once."
            "\nJobs seen: 'a' 0.000-1.000 s, 'b' 1.000-2.000 s\n"
            "Hint: start every job before you wait for any of them (start all, then join all).")

    def test_kind_filters_and_minimum_duration(self):
        """Only the chosen kind counts, and min_s demands a long enough overlap."""
        with pytest.raises(AssertionError) as excinfo:
            testing.assert_overlap(synthetic(*TRIPLE), kind=RUNNING, hint="use threads")
        assert message_of(excinfo).startswith("expected at least 2 jobs running at the same "
                                              "time, but at most 1 was running at once.")
        assert message_of(excinfo).endswith("\nHint: use threads")
        with pytest.raises(AssertionError, match=r"\(together for 0\.500 s, needed 0\.6 s\)"):
            testing.assert_overlap(synthetic(*TRIPLE), kind=WAITING, min_s=0.6)

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"at_least": 1}, ValueError, "at_least must be >= 2 (got 1)"),
        ({"kind": "sleeping"}, ValueError,
         "kind must be one of running, ready, waiting, startup, any (got 'sleeping')"),
        ({"min_s": -1}, ValueError, "min_s must be >= 0 and finite (got -1)"),
        ({"timeline": [1]}, TypeError, "timeline must be a Timeline (got list)"),
    ])
    def test_rejects_bad_arguments(self, kwargs, error, message):
        """Bad arguments fail at the door with the rule and the value."""
        arguments = {"timeline": synthetic(*TRIPLE), **kwargs}
        with pytest.raises(error) as excinfo:
            testing.assert_overlap(**arguments)
        assert message_of(excinfo) == message


class TestAssertReached:
    def test_reached_returns_the_peak(self):
        """Reaching k at some moment passes and returns the peak."""
        assert testing.assert_reached(synthetic(*TRIPLE), 3) == 3

    def test_serialized_jobs_fail(self):
        """Jobs run one at a time are called out as such."""
        with pytest.raises(AssertionError) as excinfo:
            testing.assert_reached(synthetic(*SERIAL), 2)
        assert message_of(excinfo).startswith(
            "expected 2 jobs active at once at some moment, but at most 1 was: the jobs ran one "
            "at a time.\nJobs seen: 'a' 0.000-1.000 s, 'b' 1.000-2.000 s\nHint: let the jobs")

    def test_rejects_bad_k(self):
        """k must be a whole number >= 1."""
        with pytest.raises(ValueError) as excinfo:
            testing.assert_reached(synthetic(*SERIAL), 0)
        assert message_of(excinfo) == "k must be >= 1 (got 0)"


class TestAssertAtMostAtOnce:
    def test_within_the_limit_returns_the_peak(self):
        """A timeline within the limit passes and returns its peak."""
        assert testing.assert_at_most_at_once(synthetic(*TRIPLE), 3) == 3
        assert testing.assert_at_most_at_once(synthetic(*TRIPLE), 2, kind=WAITING) == 2

    def test_over_the_limit_says_when_and_who(self):
        """The message names the first moment over the limit, the lanes, and the peak."""
        with pytest.raises(AssertionError) as excinfo:
            testing.assert_at_most_at_once(synthetic(*TRIPLE), 1)
        assert message_of(excinfo) == (
            "expected at most 1 job active at once, but 2 were active together at 0.500 s "
            "('a', 'b'). At the peak, 3 were active together.\n"
            "Hint: guard each job with a Semaphore(1) (or a pool of 1 worker), taken before the "
            "job starts and released when it ends.")

    def test_empty_timeline_passes(self):
        """No jobs means none ran at once."""
        assert testing.assert_at_most_at_once(JobTracker().timeline(), 1) == 0


class TestDistinctLanes:
    def test_processes_counted_by_pid(self):
        """Lanes in different pids count as processes; lanes of one pid count once."""
        timeline = with_pids(("p1", 11, 1), ("p2", 12, 2), ("p3", 12, 3))
        assert testing.assert_distinct_processes(timeline, 2) == 2
        with pytest.raises(AssertionError) as excinfo:
            testing.assert_distinct_processes(timeline, 3)
        assert message_of(excinfo) == (
            "expected the work to run in at least 3 different processes, but the timeline shows "
            "2 (pid 11: 'p1'; pid 12: 'p2', 'p3').\nHint: threads share one process: use "
            "multiprocessing (a Process per job, or a Pool).")

    def test_threads_exclude_the_main_thread(self):
        """The main thread of this process does not count as a worker thread by default."""
        main = threading.main_thread().native_id
        timeline = with_pids(("MainThread", os.getpid(), main), ("worker", os.getpid(), main + 1))
        assert testing.assert_distinct_threads(timeline, 2, exclude_main=False) == 2
        with pytest.raises(AssertionError) as excinfo:
            testing.assert_distinct_threads(timeline, 2)
        assert message_of(excinfo) == (
            "expected the work to run in at least 2 different threads other than the main "
            "thread, but the timeline shows 1 ('MainThread', 'worker').\nHint: start one "
            "threading.Thread per job, and start them all before joining any.")

    def test_synthetic_lanes_count_by_name(self):
        """Lanes without pid or thread id (synthetic timelines) count by name."""
        assert testing.assert_distinct_threads(synthetic(*SERIAL)) == 2
        assert testing.assert_distinct_processes(synthetic(*SERIAL), 2) == 2


class TestAssertEqual:
    def test_equal_passes(self):
        """Equal values pass silently."""
        testing.assert_equal([1, 2], [1, 2], "the list")

    def test_message_shows_both_values_and_the_hint(self):
        """The message reads: what, expected, got, hint."""
        with pytest.raises(AssertionError) as excinfo:
            testing.assert_equal(3, 2, "number of threads that printed", hint="start two threads")
        assert message_of(excinfo) == ("number of threads that printed: expected 2, got 3.\n"
                                       "Hint: start two threads")

    def test_long_values_are_shortened(self):
        """Huge values are abbreviated so the message stays readable."""
        with pytest.raises(AssertionError) as excinfo:
            testing.assert_equal(list(range(1000)), [], "the list")
        assert message_of(excinfo) == "the list: expected [], got [0, 1, 2, 3, 4, 5, 6, 7, ...]."


def print_in_two_threads(start_together=True):
    """Two threads print their sequences at the same time; the caller prints last."""
    meet = threading.Barrier(2)

    def show(items):
        if start_together:
            meet.wait(WAIT_S)
        for item in items:
            print(item)

    threads = [threading.Thread(target=show, args=(items,), name=name)
               for name, items in (("numbers", [1, 2, 3]), ("letters", "abc"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S)
    print("done")
    return "value"


class TestRunAndCapture:
    def test_lines_are_attributed_to_their_threads(self):
        """Each line is filed under the thread that printed it, in order, caller apart."""
        capture = testing.run_and_capture(print_in_two_threads)
        by_name = {info.name: lines for info, lines in capture.by_thread().items()}
        assert by_name["numbers"] == ["1", "2", "3"] and by_name["letters"] == ["a", "b", "c"]
        assert by_name["checked print_in_two_threads"] == ["done"]
        assert sorted(t.name for t in capture.printers()) == ["letters", "numbers"]
        assert capture.caller.caller and capture.caller.name == "checked print_in_two_threads"
        assert capture.value == "value" and capture.leftover == []
        assert sorted(capture.text.splitlines()) == sorted(["1", "2", "3", "a", "b", "c", "done"])

    def test_partial_lines_are_joined_per_thread(self):
        """Pieces printed without a newline join up; a last piece without one is kept."""
        def pieces():
            print("a", "b", end="")
            print("c")
            print("tail", end="")

        capture = testing.run_and_capture(pieces)
        assert [line.text for line in capture.lines] == ["a bc", "tail"]

    def test_threads_left_running_are_reported(self):
        """A function that returns before its thread ends leaves it in capture.leftover."""
        release = threading.Event()

        def forgets_join():
            threading.Thread(target=release.wait, args=(WAIT_S,), name="forgotten").start()

        try:
            capture = testing.run_and_capture(forgets_join)
        finally:
            release.set()
        assert capture.leftover == ["forgotten"]

    def test_stdout_is_restored_after_errors_and_timeouts(self):
        """sys.stdout comes back whether fn returns, raises or hangs."""
        original = sys.stdout
        release = threading.Event()
        with pytest.raises(ValueError, match="bad"):
            testing.run_and_capture(int, "bad")
        assert sys.stdout is original
        try:
            with pytest.raises(AssertionError, match="did not finish within 0.2 s"):
                testing.run_and_capture(release.wait, WAIT_S, timeout=0.2)
        finally:
            release.set()
        assert sys.stdout is original

    def test_echo_passes_output_on(self, capsys):
        """With echo=True the output also reaches the real stdout."""
        capture = testing.run_and_capture(print, "hello", echo=True)
        assert isinstance(capture, Capture) and capture.text == "hello"
        assert capsys.readouterr().out == "hello\n"

    def test_rejects_bad_timeout(self):
        """The time limit is checked like finishes_within's."""
        with pytest.raises(ValueError) as excinfo:
            testing.run_and_capture(print, timeout=-1)
        assert message_of(excinfo) == "timeout must be > 0 (got -1)"


def numbers_and_letters(join=True, together=True):
    """The two printers of lesson 1's exercise, started and joined as asked."""
    threads = [threading.Thread(target=print_each, args=("123",), name="numbers"),
               threading.Thread(target=print_each, args=("abc",), name="letters")]

    def run():
        for thread in threads:
            thread.start()
            if not together:
                thread.join()
        if join:
            for thread in threads:
                thread.join()
    return run


def print_each(items):
    for item in items:
        print(item)


class TestRunAndCaptureHold:
    def test_threads_started_together_are_alive_together(self):
        """Held at their first line, two threads started before any join count as together."""
        capture = testing.run_and_capture(numbers_and_letters(), hold=0.1)
        assert capture.together == 2 and capture.leftover == []
        assert sorted(lines for info, lines in capture.by_thread().items()) == [
            ["1", "2", "3"], ["a", "b", "c"]]

    def test_start_join_start_join_is_one_at_a_time(self):
        """Joining each thread before starting the next never has two printers alive."""
        assert testing.run_and_capture(numbers_and_letters(together=False), hold=0.05).together == 1

    def test_forgotten_join_is_seen_and_its_lines_kept(self):
        """Held threads are alive when a join-less function returns; their lines are captured."""
        capture = testing.run_and_capture(numbers_and_letters(join=False), hold=WAIT_S)
        assert sorted(capture.leftover) == ["letters", "numbers"]
        assert sorted(capture.text.split()) == ["1", "2", "3", "a", "b", "c"]

    def test_without_hold_nothing_waits(self):
        """The default keeps the old behaviour: no hold, together still counted."""
        capture = testing.run_and_capture(numbers_and_letters())
        assert capture.together >= 1 and capture.leftover == []

    def test_rejects_a_negative_hold(self):
        """The hold is a non-negative number of seconds."""
        with pytest.raises(ValueError) as excinfo:
            testing.run_and_capture(print, hold=-1)
        assert message_of(excinfo) == "hold must be >= 0 and finite (got -1)"


class TestFingerprint:
    def test_unchanged_environment_verifies(self):
        """A fresh fingerprint verifies, and it cannot be edited."""
        saved = testing.fingerprint()
        testing.verify_fingerprint(saved)
        assert "time:sleep" in saved and "course.testing:finishes_within" in saved
        with pytest.raises(TypeError):
            saved["time:sleep"] = None

    def test_patched_sleep_is_detected(self):
        """Replacing time.sleep is named in the message."""
        saved = testing.fingerprint()
        original = time.sleep
        time.sleep = lambda seconds: None
        try:
            with pytest.raises(AssertionError) as excinfo:
                testing.verify_fingerprint(saved)
        finally:
            time.sleep = original
        assert message_of(excinfo) == (
            "the grading helpers were modified: time.sleep was replaced after the setup cell ran."
            "\nHint: restart the kernel and run all cells, and do not reassign functions of time, "
            "threading or course.testing in your code.")
        testing.verify_fingerprint(saved)

    def test_patched_checks_and_locks_are_detected(self):
        """Replacing a check or threading.Lock is caught, all changes named."""
        saved = testing.fingerprint()
        originals = testing.finishes_within, threading.Lock
        testing.finishes_within = lambda fn, seconds, *args, **kwargs: fn(*args, **kwargs)
        threading.Lock = threading.RLock
        try:
            with pytest.raises(AssertionError) as excinfo:
                testing.verify_fingerprint(saved)
        finally:
            testing.finishes_within, threading.Lock = originals
        assert message_of(excinfo).startswith(
            "the grading helpers were modified: threading.Lock, course.testing.finishes_within "
            "were replaced")

    @pytest.mark.parametrize("saved, message", [
        (None, "saved must be the mapping fingerprint() returned (got NoneType)"),
        ({}, "saved must be the mapping fingerprint() returned (got dict)"),
    ])
    def test_rejects_what_is_not_a_fingerprint(self, saved, message):
        """Only the mapping fingerprint() returned is accepted."""
        with pytest.raises(TypeError) as excinfo:
            testing.verify_fingerprint(saved)
        assert message_of(excinfo) == message
