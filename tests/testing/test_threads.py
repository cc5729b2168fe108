"""Tests for course.testing.threads: threads left running after a function returned."""

import threading

from course.testing import leftover_threads


class TestLeftoverThreads:
    def test_threads_that_end_in_the_grace_are_not_listed(self):
        """A thread that ends within the grace period is not left over."""
        before = set(threading.enumerate())
        done = threading.Event()
        thread = threading.Thread(target=done.wait, args=(5,), name="ends soon")
        thread.start()
        threading.Timer(0.05, done.set).start()
        assert leftover_threads(before, grace=5) == []

    def test_a_stuck_thread_is_named(self):
        """A thread still blocked after the grace period is named."""
        before = set(threading.enumerate())
        release = threading.Event()
        thread = threading.Thread(target=release.wait, args=(5,), name="stuck", daemon=True)
        thread.start()
        try:
            assert leftover_threads(before, grace=0.05) == ["stuck"]
        finally:
            release.set()
            thread.join(5)
