"""Tests for source/02-gil/gil_work.py: the work lesson 2 hands to threads and processes."""

import importlib.util
import multiprocessing
import os
from pathlib import Path

import pytest

import course

_PATH = Path(__file__).resolve().parents[3] / "source" / "02-gil" / "gil_work.py"
_spec = importlib.util.spec_from_file_location("gil_work", _PATH)
gil_work = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gil_work)


class TestCountDown:
    def test_counts_to_zero(self):
        """The countdown returns nothing and takes CPU time in proportion to n."""
        assert gil_work.count_down(1000) is None
        assert gil_work.timed_count_down(200_000) > 0

    def test_lane_has_one_span_per_piece(self):
        """The recorded countdown records one work span per piece, the last one short."""
        export = gil_work.count_down_lane(4_500, piece=2_000)
        assert export["name"] == multiprocessing.current_process().name
        assert [kind for _, _, kind in export["spans"]] == ["work"] * 3
        assert export["cpu_ns"] is not None

    @pytest.mark.parametrize("method", multiprocessing.get_all_start_methods())
    def test_lanes_come_back_from_processes(self, method, monkeypatch):
        """Under every start method, worker processes import the module and send lanes back."""
        monkeypatch.syspath_prepend(str(_PATH.parent))
        from concurrent.futures import ProcessPoolExecutor

        import gil_work as importable  # what spawned children import by name
        rec = course.Recorder()
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context(method)) as pool:
            rec.add(pool.map(importable.count_down_lane, [20_000, 20_000]))
        lanes = rec.timeline().lanes  # a worker that finished first may take both tasks
        assert len(lanes) == 2 and all(lane["pid"] != os.getpid() for lane in lanes)
