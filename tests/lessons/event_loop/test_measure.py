"""Tests for course/lessons/event_loop/measure.py: usage, run_in_thread and the experiments."""

from __future__ import annotations

import asyncio
import math
import os
import threading

import pytest

from course.lessons.event_loop import measure
from course.lessons.event_loop.measure import (Usage, blocking_call, capped_downloads,
                                               longest_gap_ms, resident_kib, run_in_thread,
                                               usage)


class TestResidentKib:
    def test_positive_on_linux(self):
        """The resident set is read from /proc on Linux, in KiB."""
        if not os.path.exists("/proc/self/statm"):
            pytest.skip("no /proc on this system")
        assert resident_kib() > 1024  # a Python process holds more than 1 MiB


class TestUsage:
    def test_measures_a_block(self):
        """The block's wall time, the threads added at the sample, and who did the jobs."""
        runs = {}
        release = threading.Event()
        with usage("threads", into=runs) as used:
            threads = [threading.Thread(target=release.wait, args=(5,)) for _ in range(3)]
            for thread in threads:
                thread.start()
            used.sample(waiters=3)
            release.set()
            for thread in threads:
                thread.join()
            used.ran_on([(1, 10), (1, 11), (1, 11)])
        assert runs == {"threads": used}
        assert used.threads_added == 3 and used.waiters == 3 and used.wall_s > 0
        assert (used.workers, used.processes) == (2, 1)
        assert used.kib_per_waiter is None or used.kib_per_waiter >= 0
        assert str(used).startswith("threads: wall ")

    def test_failed_block_is_not_stored(self):
        """A block that raises is not stored: its numbers would mislead."""
        runs = {}
        with pytest.raises(RuntimeError):
            with usage("broken", into=runs):
                raise RuntimeError("no")
        assert runs == {}

    def test_processes_are_counted(self):
        """Pairs from several processes count as processes."""
        used = Usage("processes")
        used.ran_on([(1, 5), (2, 5), (3, 5)])
        assert (used.workers, used.processes) == (3, 3)
        assert "3 processes" in str(used)

    @pytest.mark.parametrize("call, error, message", [
        (lambda: usage("x", into=[]), TypeError, "into must be a dict or None"),
        (lambda: Usage("x").sample(0), ValueError, "waiters must be >= 1"),
    ])
    def test_bad_arguments(self, call, error, message):
        """Arguments are checked at the door."""
        with pytest.raises(error, match=message):
            call()


class TestRunInThread:
    def test_result_from_a_loop_of_its_own(self):
        """The coroutine runs on a fresh loop in another thread, and its result comes back."""
        async def where():
            await asyncio.sleep(0)
            return threading.current_thread().name, asyncio.get_running_loop()

        name, loop = run_in_thread(where)
        assert name == "event loop" and loop.is_closed()

    def test_works_inside_a_running_loop(self):
        """Called from a coroutine (as a widget callback in the kernel is), it still works."""
        async def inner():
            return 7

        async def outer():
            return run_in_thread(inner)

        assert asyncio.run(outer()) == 7

    def test_error_passes_through(self):
        """The coroutine's exception reaches the caller."""
        async def broken():
            raise LookupError("inner")
        with pytest.raises(LookupError, match="inner"):
            run_in_thread(broken)

    def test_timeout(self):
        """A coroutine that runs too long raises TimeoutError."""
        async def slow():
            await asyncio.sleep(5)
        with pytest.raises(TimeoutError, match="did not finish within 0.05 s"):
            run_in_thread(slow, timeout=0.05)


class TestExperiments:
    @pytest.mark.parametrize("tasks, limit", [(7, 3), (4, 10), (3, 1)])
    def test_capped_downloads_keep_and_reach_the_limit(self, tasks, limit):
        """At most limit downloads wait at once, and the limit (or every task) is reached."""
        timeline = asyncio.run(capped_downloads(tasks, limit, download_s=0.005))
        assert len(timeline.lanes) == tasks
        assert timeline.max_at_once("waiting") == min(tasks, limit)
        assert len({lane["tid"] for lane in timeline.lanes}) == 1

    def test_blocking_call_stalls_the_heartbeat(self):
        """Blocking in the coroutine: the call is running, and no tick starts while it runs."""
        timeline, ticks = asyncio.run(blocking_call(False, block_s=0.06, heartbeat_s=0.005))
        call = next(s for s in timeline.segments() if s.lane == "blocking call")
        assert call.kind == "running"
        assert not [t for t in ticks if call.start_ns / 1e9 < t < call.end_ns / 1e9]
        assert longest_gap_ms(ticks) >= 60

    def test_offloaded_call_waits(self):
        """With to_thread the call's task waits (the sleep runs elsewhere), beside the ticks."""
        timeline, ticks = asyncio.run(blocking_call(True, block_s=0.06, heartbeat_s=0.005))
        kinds = {(s.lane, s.kind) for s in timeline.segments()}
        assert ("blocking call", "waiting") in kinds and ("blocking call", "running") not in kinds
        assert ("heartbeat", "running") in kinds and len(ticks) >= 2

    def test_longest_gap(self):
        """The longest silence between ticks, in ms; none for fewer than two ticks."""
        assert math.isclose(longest_gap_ms([0.0, 0.01, 0.05, 0.06]), 40.0)
        assert longest_gap_ms([1.0]) == 0.0

    def test_capped_downloads_checks_its_arguments(self):
        """tasks and limit must be ints >= 1."""
        with pytest.raises(ValueError, match="limit must be >= 1"):
            asyncio.run(capped_downloads(3, 0))


def test_blocking_demo_constants():
    """The demo blocks far longer than a heartbeat interval, so the gap is unmistakable."""
    assert measure.BLOCK_S >= 10 * measure.HEARTBEAT_S
