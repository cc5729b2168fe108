"""Tests for source/04-multiprocessing/mp_work.py, the lesson's worker module, and the copies
of its code that the notebook's text shows."""

import inspect
import json
import multiprocessing
import pickle
import queue
import re
import sys
import threading
from pathlib import Path

import pytest

from course.timeline import Recorder

from .conftest import FAST

LESSON = Path(__file__).resolve().parents[3] / "source" / "04-multiprocessing"
sys.path.insert(0, str(LESSON))
import mp_work  # noqa: E402

BOUND_S = 30


class TestNotesAndMarker:
    def test_add_note_returns_this_process_list(self):
        """add_note appends to this process's NOTES and returns a copy of it."""
        before = list(mp_work.NOTES)
        try:
            seen = mp_work.add_note("here")
            assert seen == before + ["here"] and seen is not mp_work.NOTES
        finally:
            mp_work.NOTES[:] = before

    def test_a_pickled_marker_is_a_copy(self):
        """MARKER is itself here, but a pickled copy is not (None survives as itself)."""
        assert mp_work.is_marker(mp_work.MARKER)
        assert not mp_work.is_marker(pickle.loads(pickle.dumps(mp_work.MARKER)))
        assert pickle.loads(pickle.dumps(None)) is None

    def test_a_fork_worker_gets_a_copy_too(self):
        """Even a fork worker, whose MARKER is the parent's, receives the argument as a copy."""
        context = multiprocessing.get_context(FAST)
        with context.Pool(1) as pool:
            assert pool.apply(mp_work.is_marker, (mp_work.MARKER,)) is False


class TestWork:
    def test_primes(self):
        """count_primes_between counts lo <= p < hi; is_prime handles small numbers."""
        assert [n for n in range(20) if mp_work.is_prime(n)] == [2, 3, 5, 7, 11, 13, 17, 19]
        assert mp_work.count_primes_between(0, 100) == 25
        assert mp_work.count_primes_between(7, 7) == 0

    def test_count_in_lane_records_one_span(self):
        """count_in_lane returns the count and a lane with one work span, named as asked."""
        count, lane = mp_work.count_in_lane("worker 3", 0, 1000)
        assert count == 168 and lane["name"] == "worker 3" and len(lane["spans"]) == 1
        assert lane["spans"][0][2] == "work"

    def test_spin_in_lane_records_each_piece(self):
        """spin_in_lane records one work span per piece; report_lane puts that lane on a queue."""
        lane = mp_work.spin_in_lane("p", pieces=5)
        assert len(lane["spans"]) == 5 and lane["name"] == "p"
        lanes = queue.Queue()
        mp_work.report_lane(lanes, "q", 3)
        assert len(lanes.get_nowait()["spans"]) == 3

    def test_lanes_from_processes_join_a_recorder(self):
        """Lanes made in pool workers are added to a Recorder started before the pool."""
        rec = Recorder()
        with multiprocessing.get_context(FAST).Pool(2) as pool:
            rec.add(pool.starmap(mp_work.spin_in_lane, [("a", 5), ("b", 5)]))
        assert sorted(rec.timeline().lane_names) == ["a", "b"]

    def test_consume_stops_at_none(self):
        """consume applies work to each item until it takes None."""
        tasks, results = queue.Queue(), queue.Queue()
        for item in (1, 2, None, 3):
            tasks.put(item)
        mp_work.consume(tasks, results, mp_work.double)
        assert [results.get_nowait() for _ in range(2)] == [2, 4] and tasks.get_nowait() == 3

    def test_echo_until_none(self):
        """echo sends back each message until None, then closes its end."""
        here, there = multiprocessing.Pipe()
        thread = threading.Thread(target=mp_work.echo, args=(there,))
        thread.start()
        here.send("hi")
        assert here.poll(BOUND_S) and here.recv() == "hi"
        here.send(None)
        thread.join(BOUND_S)
        assert not thread.is_alive()

    def test_sizes(self):
        """payload and put_bytes make items of the size asked for."""
        assert len(mp_work.payload(7)) == 16 * 1024 and mp_work.payload(7).startswith(b"00000007")
        box = queue.Queue()
        mp_work.put_bytes(box, 10)
        assert box.get_nowait() == bytes(10)

    @pytest.mark.parametrize("locked", [False, True])
    def test_add_to_with_or_without_lock(self, locked):
        """add_to adds times once each, holding the lock when one is given."""
        counter = multiprocessing.get_context(FAST).Value("i", 0)
        mp_work.add_to(counter, 3, counter.get_lock() if locked else None)
        assert counter.value == 3


def _shown_functions():
    """Every function the notebook's Markdown shows in a ```python block: (name, text)."""
    notebook = json.loads((LESSON / "processes.ipynb").read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for block in re.findall(r"```python\n(.*?)```", "".join(cell["source"]), re.S):
                match = re.match(r"def (\w+)\(", block)
                if match:
                    yield match[1], block


@pytest.mark.parametrize("name, shown", [pytest.param(name, shown, id=name)
                                         for name, shown in _shown_functions()])
def test_the_notebook_shows_the_real_code(name, shown):
    """A worker the notebook's text shows is shown exactly as mp_work.py defines it."""
    assert shown.strip() == inspect.getsource(getattr(mp_work, name)).strip()
