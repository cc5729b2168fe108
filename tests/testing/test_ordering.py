"""Tests for course.testing.ordering: jobs whose overlap, finishing and failing order is fixed."""

import threading
import time

import pytest

from course import testing

WAIT_S = 5  # bound on every join that is meant to succeed


def run_all(job, inputs):
    """Call job(x) for every input in a thread of its own; return {x: result or exception}."""
    outcomes = {}

    def call(x):
        try:
            outcomes[x] = job(x)
        except Exception as error:
            outcomes[x] = error

    threads = [threading.Thread(target=call, args=(x,)) for x in inputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S)
    return outcomes


class TestMeeting:
    def test_calls_together_pass_at_once(self):
        """n calls made together meet at the barrier and return then(x)."""
        job = testing.meeting(3, then=str, timeout=WAIT_S)
        began = time.monotonic()
        assert run_all(job, [0, 1, 2]) == {0: "0", 1: "1", 2: "2"}
        assert time.monotonic() - began < WAIT_S

    def test_a_lonely_call_gives_up_and_later_calls_pass(self):
        """A call alone waits its timeout, then that call and every later one return."""
        job = testing.meeting(2, timeout=0.05)
        assert job(4) == 40 and job(5) == 50

    def test_hold_keeps_each_call_running_after_the_meeting(self):
        """With a hold, every call lasts that long after the meeting."""
        job, ended = testing.meeting(2, timeout=WAIT_S, hold=0.1), {}
        began = time.monotonic()
        run_all(lambda x: ended.setdefault(x, (job(x), time.monotonic())), [1, 2])
        assert all(at - began >= 0.1 for _, at in ended.values())

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"n": 0}, ValueError, "n must be between 1 and 1024 (got 0)"),
        ({"n": 2, "hold": -1}, ValueError, "hold must be >= 0 and finite (got -1)"),
        ({"n": 2, "then": 3}, TypeError, "then must be callable (got int)"),
        ({"n": 2, "timeout": 0}, ValueError, "timeout must be > 0 (got 0)"),
    ])
    def test_bad_arguments(self, kwargs, error, message):
        """Bad counts, callables and timeouts fail at the door."""
        with pytest.raises(error) as excinfo:
            testing.meeting(**kwargs)
        assert str(excinfo.value) == message


class TestFinishingInReverse:
    def test_concurrent_calls_finish_last_first(self):
        """Made all at once, the last input's call finishes first."""
        job, finished = testing.finishing_in_reverse([1, 2, 3], wait=WAIT_S), []
        run_all(lambda x: finished.append(job(x)), [1, 2, 3])
        assert finished == [30, 20, 10]

    def test_sequential_calls_still_return(self):
        """Made one at a time, each call waits its bound out and returns its value."""
        job = testing.finishing_in_reverse(["a", "b"], wait=0.02, then=str.upper)
        assert [job("a"), job("b")] == ["A", "B"]

    def test_inputs_must_be_distinct(self):
        """Repeated inputs cannot be ordered."""
        with pytest.raises(ValueError, match=r"inputs must be distinct \(got \[1, 1\]\)"):
            testing.finishing_in_reverse([1, 1])


class TestFailingInOrder:
    def test_failures_happen_in_the_given_order(self):
        """Failing calls raise in *order*, each exception kept; the others return then(x)."""
        job, errors = testing.failing_in_order(range(5), order=[3, 1], hold=0.01, timeout=WAIT_S)
        raised, lock = [], threading.Lock()

        def noting(x):
            try:
                return job(x)
            except ValueError as error:
                with lock:
                    raised.append(error)
                raise

        outcomes = run_all(noting, range(5))
        assert raised == [errors[3], errors[1]]
        assert str(errors[1]) == "bad input 1"
        assert outcomes == {0: 0, 1: errors[1], 2: 20, 3: errors[3], 4: 40}

    def test_later_calls_outlast_the_failures(self):
        """Calls after the first failing input end only *hold* seconds after the last failure."""
        ended = {}
        job, errors = testing.failing_in_order([0, 1, 2], order=[1], hold=0.2, timeout=WAIT_S)

        def timed(x):
            try:
                return job(x)
            finally:
                ended[x] = time.monotonic()

        run_all(timed, [0, 1, 2])
        assert ended[2] - ended[1] >= 0.2 > ended[1] - ended[0]

    def test_called_one_at_a_time_it_still_ends(self):
        """A caller that makes the calls in turn is slowed by the timeouts, never stuck."""
        job, errors = testing.failing_in_order([0, 1, 2], order=[2, 1], hold=0.01, timeout=0.05)
        assert job(0) == 0
        with pytest.raises(ValueError, match="bad input 1"):
            job(1)
        with pytest.raises(ValueError, match="bad input 2"):
            job(2)

    @pytest.mark.parametrize("inputs, order, message", [
        ([1, 1], [1], "inputs and order must be distinct (got [1, 1] and [1])"),
        ([1, 2], [3], "order must list inputs only (got [3] for inputs [1, 2])"),
    ])
    def test_bad_orders(self, inputs, order, message):
        """Orders that name unknown or repeated inputs are refused."""
        with pytest.raises(ValueError) as excinfo:
            testing.failing_in_order(inputs, order)
        assert str(excinfo.value) == message
