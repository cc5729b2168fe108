"""Tests for course.testing.events: counting questions to an Event, and setting it on call n."""

import threading

import pytest

from course.testing import CountingEvent, StopAfter


class TestCountingEvent:
    def test_counts_is_set_and_wait(self):
        """Each is_set() and wait() counts once; set() does not count."""
        event = CountingEvent()
        assert not event.is_set()
        assert not event.wait(0)
        event.set()
        assert event.wait(0) and event.is_set()
        assert event.checks == 4

    def test_is_a_threading_event(self):
        """Code written for threading.Event accepts it."""
        assert isinstance(CountingEvent(), threading.Event)


class TestStopAfter:
    def test_sets_the_event_on_call_n(self):
        """The event is set by call n, not before."""
        stop = threading.Event()
        action = StopAfter(stop, 2)
        action()
        assert not stop.is_set()
        action()
        assert stop.is_set() and action.calls == 2
        assert repr(action) == "StopAfter(n=2, calls=2)"

    def test_rejects_n_below_one(self):
        """n counts calls from 1."""
        with pytest.raises(ValueError, match=r"n must be >= 1 \(got 0\)"):
            StopAfter(threading.Event(), 0)
