"""Tests for course.lessons.sync.text: the prose follows the numbers measured in the run."""

import pytest

from course.lessons.sync import text
from course.timeline import Timeline

BUILD = "CPython 3.11.7 with the GIL"


class TestCounterVerdict:
    def test_nothing_lost_under_the_gil(self):
        """No loss under a GIL: says so, and why, without calling the code safe."""
        said = text.counter_verdict([0, 0, 0], build=BUILD, gil=True)
        assert said.startswith(f"On this kernel, **{BUILD}**, **no update was lost in any of "
                               "the 3 trials.** That does not make `counter += 1` safe.")
        assert "only after a call or on a backward jump" in said

    def test_losses_without_a_gil(self):
        """Losses on a free-threaded build are counted and explained by the missing GIL."""
        said = text.counter_verdict([0, 1200, 30], build="CPython 3.13.5 free-threaded", gil=False)
        assert "**updates were lost in 2 of 3 trials** (up to 1,200)" in said
        assert "without a GIL" in said

    def test_losses_with_a_gil(self):
        """Losses under a GIL are reported as a switch between read and write."""
        said = text.counter_verdict([5], build=BUILD, gil=True)
        assert said.endswith("switched threads between a read and its write.")

    def test_needs_a_trial(self):
        """No trials is an error, not an empty claim."""
        with pytest.raises(ValueError, match="at least one trial"):
            text.counter_verdict([], build=BUILD, gil=True)


class TestRaceVerdict:
    @pytest.mark.parametrize("lost, start", [
        ([3, 60, 40], "**Deposits were lost in all 3 runs** (from 3 to 60 per run)."),
        ([0, 12], "**Deposits were lost in 1 of 2 runs** (from 0 to 12 per run)."),
    ])
    def test_counts_the_runs(self, lost, start):
        """Every run or some runs: the verdict says which, and that a switch is possible."""
        said = text.race_verdict(lost)
        assert said.startswith(start) and "possible, not certain" in said


def _timeline(*rows):
    return Timeline.from_segments(rows)


class TestReadings:
    def test_race_reading(self):
        """The recorded race: deposits lost, share and peak of threads holding a read."""
        tl = _timeline(("a", 0, 0.002, "waiting"), ("b", 0.001, 0.004, "waiting"))
        said = text.race_reading(tl, lost=3, expected=8)
        assert said.startswith("**3 of 8 deposits were lost** in this recorded run. For 25% of "
                               "it, two or more threads were between their read and their "
                               "write, up to 2 at once.")

    def test_lock_reading(self):
        """The recorded lock: deposits kept, one holder at a time, waiting, both wall times."""
        locked = _timeline(("a", 0, 0.002, "running"), ("b", 0, 0.002, "waiting"),
                           ("b", 0.002, 0.004, "running"))
        unlocked = _timeline(("a", 0, 0.001, "waiting"))
        said = text.lock_reading(locked, unlocked, balance=8, expected=8)
        assert said == ("With the lock, **8 of 8** deposits arrived, and at most 1 thread held "
                        "the lock at a time. The price: some thread was waiting for the lock "
                        "during 50% of the run, which took 4.0 ms against 1.0 ms without it: "
                        "the deposits now happen one at a time.")

    def test_lock_cost(self):
        """Lock costs over the empty statement, and the waiting as a multiple of them."""
        said = text.lock_cost({"nothing": 10, "Lock": 40, "RLock": 50}, waited_ms=12.77)
        assert said.startswith("On this machine an uncontended `with lock:` cost **30 ns** "
                               "(40 ns for an `RLock`). The threads in the recorded run above "
                               "waited 12.77 ms in all for the lock, about 430,000 times as long.")

    def test_lock_cost_too_small_to_measure(self):
        """Noise that makes the lock look free is reported as such, never as a negative cost."""
        said = text.lock_cost({"nothing": 50, "Lock": 45, "RLock": 40}, waited_ms=1)
        assert "too little to tell apart" in said and "-" not in said.split(".")[0]

    def test_semaphore_reading(self):
        """Jobs at once against the cap, then the wall times one at a time and at best."""
        tl = _timeline(("a", 0, 0.01, "waiting"), ("b", 0, 0.01, "waiting"),
                       ("c", 0.01, 0.02, "waiting"))
        said = text.semaphore_reading(tl, limit=2, job_s=0.01)
        assert said.startswith("Semaphore(2): at most 2 jobs at once")
        assert "the 3 jobs of 10 ms would take 30 ms; 2 at a time, at least 20 ms" in said

    @pytest.mark.parametrize("ended, phrase", [
        ({"prompt": 0.4, "sleepy": 31.0}, "**31.0 ms** after, 30.6 ms later"),
        ({"prompt": 0.4, "sleepy": 0.3}, "no later this time"),
    ])
    def test_event_reading(self, ended, phrase):
        """The two workers' stop latencies, and whether sleeping was later this time."""
        assert phrase in text.event_reading(ended, interval_ms=50)

    def test_spin_reading(self):
        """Questions asked and CPU used, spinning and blocking."""
        said = text.spin_reading(194_797, 18.7, 0.55, wait_ms=50)
        assert said.startswith("Spinning asked **194,797 times** and used 18.7 ms of CPU in "
                               "those 50 ms; blocking in `wait()` used 0.55 ms.")

    @pytest.mark.parametrize("crossed, start", [
        (["gave up", "gave up"], "In opposite orders, **all 2 threads gave up** after 1.01 s"),
        (["gave up", "moved"], "In opposite orders, **1 of 2 threads gave up** after 1.01 s"),
        (["moved", "moved"], "In opposite orders, **no thread gave up** this time (1.01 s)"),
    ])
    def test_deadlock_reading(self, crossed, start):
        """What the opposite order did this run, then the fixed order's result."""
        said = text.deadlock_reading(crossed, 1.01, ["moved", "moved"], 0.043, patience_s=1)
        assert said.startswith(start)
        assert said.endswith("In one fixed order, 2 of 2 moved, in 43 ms: the second thread "
                             "waited for the first lock instead of taking the other one, so no "
                             "cycle of waits could form.")
