"""Tests for course/lessons/event_loop/text.py: prose built from the measured numbers."""

from __future__ import annotations

import dataclasses

import pytest

from course import doctor
from course.lessons.event_loop import text
from course.lessons.event_loop.measure import Usage
from course.timeline import Timeline

GIL = dataclasses.replace(doctor.report(), python_version="3.11.7", free_threaded_build=False,
                          gil_enabled=True, cores=2, load_average=(0.1, 0.1, 0.1))
NO_GIL = dataclasses.replace(GIL, python_version="3.13.5", free_threaded_build=True,
                             gil_enabled=False)
BUSY = dataclasses.replace(GIL, load_average=(6.0, 5.0, 4.0))


def io_runs(threads_s=0.17, pool_s=0.7, tasks_s=0.1):
    return {"threads": Usage("threads", threads_s, 200, 200, 14.0),
            "thread pool": Usage("thread pool", pool_s, 32, 200, 3.0),
            "asyncio": Usage("asyncio", tasks_s, 0, 200, 1.0)}


def cpu_runs(threads_s=0.4, processes_s=0.22):
    return {"one after another": Usage("one after another", 0.4, workers=1, processes=1),
            "asyncio": Usage("asyncio", 0.41, workers=1, processes=1),
            "threads": Usage("threads", threads_s, workers=4, processes=1),
            "processes": Usage("processes", processes_s, workers=4, processes=4)}


class TestNotes:
    def test_overlap(self):
        """The note gives both times and the sum and longest of the waits."""
        note = text.overlap_note(0.302, 0.151, [0.1, 0.15, 0.05])
        assert "**0.302 s**" in note and "(0.30 s)" in note and "**0.151 s**" in note
        assert "(0.15 s)" in note

    def test_recording(self):
        """The note counts lanes, threads, and the most running and waiting at once."""
        timeline = Timeline.from_segments([("a", 0, 0.01, "running"), ("a", 0.01, 0.05, "waiting"),
                                           ("b", 0.01, 0.02, "running"),
                                           ("b", 0.02, 0.06, "waiting")])
        note = text.recording_note(timeline)
        assert note.startswith("2 lanes, **1 thread**") and "At most **1**" in note
        assert "up to **2** waited at once" in note

    def test_blocking(self):
        """The note compares the two silences with the call's length."""
        note = text.blocking_note(206.4, 13.2, 0.2, 0.01)
        assert "**206 ms**" in note and "**13 ms**" in note and "(200 ms)" in note

    def test_semaphore(self):
        """The note gives the peak, the rounds and the wall time."""
        timeline = Timeline.from_segments([(f"t{i}", 0.03 * (i // 3), 0.03 * (i // 3 + 1),
                                            "waiting") for i in range(6)])
        note = text.semaphore_note(timeline, limit=3, jobs=6, download_s=0.03)
        assert "At most **3 downloads were in flight at once**" in note
        assert "about 2 rounds" in note and "180 ms one after another" in note

    def test_io(self):
        """The note lists each way and names the lightest waiter."""
        note = text.io_note(io_runs(), 200, 0.1)
        assert "at least 20 s" in note and "Fastest: **asyncio**" in note
        assert "1.0 KiB with asyncio and 14.0 KiB with threads (14x more)" in note

    def test_io_without_memory(self):
        """Without memory readings the note says so."""
        runs = {name: dataclasses.replace(used, kib_per_waiter=None)
                for name, used in io_runs().items()}
        assert "not measured on this system" in text.io_note(runs, 200, 0.1)


class TestCpuNote:
    def test_processes_win(self):
        """When a way beats one after another, the note names it with its speedup."""
        note = text.cpu_note(cpu_runs(), GIL)
        assert "the best was **processes** at 1.82x" in note

    @pytest.mark.parametrize("report, reason", [
        (BUSY, "the machine was busy (load 6.0 on 2 usable cores)"),
        (GIL, "the pieces may be too small"),
        (dataclasses.replace(GIL, cores=1), "with one core no way"),
    ])
    def test_nothing_helps_says_why(self, report, reason):
        """When nothing helps, the note gives the reason that fits the machine."""
        note = text.cpu_note(cpu_runs(processes_s=0.5), report)
        assert "nothing beat one after another by 1.2x" in note and reason in note


class TestChoosingTable:
    def test_measured_cells_and_picks(self):
        """Every cell shows a measured number; asyncio wins the waits, processes the computing."""
        table = text.choosing_table(io_runs(), cpu_runs(), GIL, io_in_turn_s=20)
        header, _, waits, computing = table.splitlines()[:4]
        assert header == ("| job | one after another | asyncio | threads | thread pool | "
                          "processes | choose |")
        assert ">= 20 s (not run)" in waits and "**asyncio**" in waits
        assert "0.10 s, +0 threads, 1.0 KiB/waiter" in waits
        assert "**processes** (1.82x: one interpreter per core)" in computing

    def test_none_when_nothing_helps(self):
        """On a machine where nothing beats one after another, the pick is none."""
        table = text.choosing_table(io_runs(), cpu_runs(processes_s=0.5), BUSY)
        assert "**none**" in table.splitlines()[3]

    def test_free_threaded_threads(self):
        """Without a GIL, threads that win the computing are picked, and the note says why."""
        table = text.choosing_table(io_runs(), cpu_runs(threads_s=0.21, processes_s=0.3), NO_GIL)
        assert "**threads** (1.90x: no GIL: threads use every core)" in table
        assert "free-threaded Python 3.13.5 with the GIL **off**" in table

    def test_gil_build_says_what_would_change(self):
        """With a GIL, the note says the threads row is what a free-threaded build changes."""
        note = text.free_threading_note(GIL, cpu_runs())
        assert "standard build) has a GIL" in note and "threads row" in note

    def test_free_threaded_build_with_gil_on(self):
        """A free-threaded build whose GIL came back on is described as such."""
        report = dataclasses.replace(NO_GIL, gil_enabled=True)
        assert "whose GIL is **on**" in text.free_threading_note(report, cpu_runs())
