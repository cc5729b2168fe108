"""Tests for course.testing.calls: stand-in jobs, and a Meeting that proves calls overlapped."""

import threading

import pytest

from course import testing
from course.testing import Meeting

WAIT_S = 5


class TestJobs:
    def test_napping_failing_and_echo(self):
        """napping_job returns its value; failing_job raises; echo_job returns its item."""
        assert testing.napping_job(3, 0)() == 3
        with pytest.raises(RuntimeError, match="this job fails on purpose"):
            testing.failing_job(0)()
        assert testing.echo_job(0)("x") == "x"
        assert testing.napping_job("a", 0).__name__ == "napping_job('a')"

    def test_rejects_negative_seconds(self):
        """A job cannot sleep for a negative time."""
        with pytest.raises(ValueError, match="seconds must be >= 0"):
            testing.napping_job(1, -1)


class TestMeeting:
    def test_first_k_calls_run_together(self):
        """The first k calls stay inside the wrapper until the k-th call arrives."""
        meeting, done = Meeting(3, timeout=WAIT_S), []
        job = meeting.wrap(lambda: done.append(1))
        calls = [threading.Thread(target=job) for _ in range(3)]
        for thread in calls[:2]:
            thread.start()
        calls[0].join(0.05)
        assert done == [] and calls[0].is_alive()
        calls[2].start()
        for thread in calls:
            thread.join(WAIT_S)
        assert done == [1, 1, 1]

    def test_calls_one_at_a_time_wait_once_then_go_on(self):
        """Serial calls: the first waits out the timeout, every later call runs at once."""
        meeting = Meeting(2, timeout=0.05)
        job = meeting.wrap(lambda x: x * 2)
        assert testing.finishes_within(lambda: [job(i) for i in range(5)], WAIT_S) == [0, 2, 4,
                                                                                          6, 8]

    def test_wrap_keeps_the_name(self):
        """The wrapper keeps the job's name, for messages that name it."""
        def download():
            return 1

        assert Meeting(1).wrap(download).__name__ == "download"

    @pytest.mark.parametrize("args, error", [((0,), ValueError), ((2, 0), ValueError),
                                             ((2.0,), TypeError)])
    def test_rejects_bad_arguments(self, args, error):
        """k must be an int >= 1 and the timeout > 0."""
        with pytest.raises(error):
            Meeting(*args)

    def test_rejects_a_non_callable(self):
        """Only functions can be wrapped."""
        with pytest.raises(TypeError, match="fn must be callable"):
            Meeting(1).wrap(3)
