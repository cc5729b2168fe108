"""Tests for course/lessons/event_loop/sim.py: the simulated site and disk the exercises use."""

from __future__ import annotations

import asyncio

import pytest

from course.lessons.event_loop import sim
from course.lessons.event_loop.sim import Disk, Site, page_of, text_of

BOUND_S = 10.0


def run(coroutine):
    """Run a coroutine on a fresh loop, bounded."""
    async def bounded():
        return await asyncio.wait_for(coroutine, BOUND_S)
    return asyncio.run(bounded())


class TestSite:
    def test_pages_and_calls(self):
        """fetch returns the url's page and notes the call; the content function is used."""
        site = Site(delay=0, content=str.upper)
        assert run(site.fetch("abc")) == "ABC"
        assert site.calls == ["abc"] and page_of("x") == "<page x>"

    def test_every_fetch_gets_a_lane_of_its_own(self):
        """Concurrent fetches are in flight together on the site's timeline, whatever the tasks."""
        site = Site(delay=0.01)

        async def main():
            return await asyncio.gather(*(site.fetch(url) for url in "abcd"))

        assert run(main()) == [page_of(url) for url in "abcd"]
        timeline = site.timeline()
        assert len(timeline.lanes) == 4 and timeline.max_at_once("waiting") == 4
        assert site.peak == 4 and site.in_flight == 0 and site.tasks_used == 4

    def test_fetches_in_turn_never_overlap(self):
        """Awaited one after another, the fetches are in flight one at a time."""
        site = Site(delay=0.002)

        async def main():
            return [await site.fetch(url) for url in "abc"]

        run(main())
        assert site.timeline().max_at_once("waiting") == 1 and site.tasks_used == 1

    def test_never_answers_and_notes_the_cleanup(self):
        """A url in never waits until cancelled, and its cancellation is noted in cleaned."""
        site = Site(never={"lost"})

        async def main():
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(site.fetch("lost"), 0.01)

        run(main())
        assert site.cleaned == ["lost"] and site.in_flight == 0

    def test_failing_url(self):
        """A url in fails raises ConnectionError after its wait."""
        with pytest.raises(ConnectionError, match="bad: connection reset"):
            run(Site(delay=0, fails={"bad"}).fetch("bad"))

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"delay": -1}, ValueError, "delay must be >= 0"),
        ({"content": "x"}, TypeError, "content must be callable"),
    ])
    def test_bad_arguments(self, kwargs, error, message):
        """Arguments are checked at the door."""
        with pytest.raises(error, match=message):
            Site(**kwargs)


class TestDisk:
    def test_loads_in_threads_see_the_heartbeat(self):
        """Loads run by to_thread return the texts and count at least two ticks each."""
        disk = Disk()

        async def main():
            return await disk.with_heartbeat(
                asyncio.gather(*(asyncio.to_thread(disk.load, name) for name in ("a", "b"))))

        assert run(main()) == [text_of("a"), text_of("b")]
        ticks = disk.ticks_during_loads()
        assert list(ticks) in (["load 0: a", "load 1: b"], ["load 0: b", "load 1: a"])
        assert all(count >= sim.TICKS_NEEDED for count in ticks.values())
        assert sorted(disk.calls) == ["a", "b"]

    def test_load_on_the_loop_sees_no_tick(self):
        """A load called from a coroutine blocks the loop: it gives up at once with zero ticks."""
        disk = Disk(content=str.upper)

        async def blocking():
            return [disk.load(name) for name in ("x", "y")]

        assert run(disk.with_heartbeat(blocking())) == ["X", "Y"]
        assert disk.ticks_during_loads() == {"load 0: x": 0, "load 1: y": 0}

    def test_stopping_the_heartbeat_releases_waiting_loads(self):
        """A load still waiting when the heartbeat stops returns at once instead of after HOLD_S."""
        disk = Disk()

        async def main():
            pending = asyncio.ensure_future(asyncio.to_thread(disk.load, "late"))
            await disk.with_heartbeat(asyncio.sleep(0))   # heartbeat starts and stops at once
            return await asyncio.wait_for(pending, sim.HOLD_S / 2)

        assert run(main()) == text_of("late")

    def test_failing_name(self):
        """A name in fails raises FileNotFoundError from the load."""
        disk = Disk(fails={"gone"})

        async def main():
            return await disk.with_heartbeat(asyncio.to_thread(disk.load, "gone"))

        with pytest.raises(FileNotFoundError, match="no such file: 'gone'"):
            run(main())

    def test_timeline_has_the_heartbeat_and_each_load(self):
        """The chart shows the heartbeat's ticks as running and each load as waiting."""
        disk = Disk()
        run(disk.with_heartbeat(asyncio.to_thread(disk.load, "a")))
        timeline = disk.timeline()
        kinds = {(s.lane, s.kind) for s in timeline.segments()}
        assert ("heartbeat", "running") in kinds and ("load 0: a", "waiting") in kinds
