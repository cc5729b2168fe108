"""Tests for course.lessons.threads.text: prose computed from what a run measured."""

from dataclasses import dataclass, replace

import pytest

from course import doctor
from course.lessons.threads import text
from course.timeline import Timeline

QUIET_GIL = doctor.Report(
    python_version="3.11.7", implementation="CPython", free_threaded_build=False,
    gil_enabled=True, cores=2, cpu_count=2, load_average=(0.1, 0.1, 0.1), start_method="fork",
    switch_interval=0.005)
BUSY_NO_GIL = replace(QUIET_GIL, gil_enabled=False, free_threaded_build=True,
                      load_average=(3.0, 3.0, 3.0), start_method="forkserver")


def said(markdown) -> str:
    return markdown.data


class TestMachine:
    @pytest.mark.parametrize("report, parts", [
        (QUIET_GIL, ["**2 usable core(s)**", "with a GIL", "**fork**", "quiet"]),
        (BUSY_NO_GIL, ["without a GIL", "**forkserver**", "busy"]),
    ])
    def test_says_what_the_machine_offers(self, report, parts):
        """Cores, GIL, start method and load all come from the report."""
        sentence = said(text.machine(report))
        assert all(part in sentence for part in parts), sentence


class TestChild:
    @pytest.mark.parametrize("method, how", [
        ("fork", "began as a copy of this process's whole memory"),
        ("spawn", "received a copy of the arguments"),
        ("forkserver", "received a copy of the arguments"),
    ])
    def test_how_the_copy_was_made_depends_on_the_method(self, method, how):
        """The child's copy is explained per start method, with both lists' lengths."""
        sentence = said(text.child(["a", "b"], ["a", "b", "c"], method))
        assert how in sentence and "(3 items there)" in sentence and "still has 2" in sentence
        assert "fresh interpreter" not in sentence


class TestOsThreads:
    def test_counts_threads_python_does_not_know(self):
        """The difference between the OS's count and Python's is named."""
        assert "The other 3 were started by C libraries" in said(text.os_threads(5, 2))

    def test_no_proc(self):
        """Without /proc there is nothing to compare."""
        assert "no `/proc`" in said(text.os_threads(None, 2))

    def test_python_knows_them_all(self):
        """When the counts agree, it says so."""
        assert "knows every one" in said(text.os_threads(2, 2))


class TestNap:
    def test_gap_between_hello_and_awake(self):
        """The time between the hello and the sleeper's waking is computed from the log."""
        log = [(0.1, "created"), (2.0, "sleeping 0.05 s"), (2.5, "Hello, world!"), (52.5, "awake")]
        sentence = said(text.nap(log))
        assert "said hello at 2.5 ms, **50.0 ms before**" in sentence

    def test_before_the_cell_ran(self):
        """An empty log asks for the cell to be run."""
        assert "Run the cell above first" in said(text.nap([]))


def test_counting_compares_the_two_runs():
    """The share of the sequential time the threads took is computed."""
    sentence = said(text.counting(0.5, 0.25))
    assert "**500 ms**" in sentence and "**250 ms**, 50% of that" in sentence


class TestRecorded:
    def test_alone_and_together(self):
        """Each lane alone, and the overlap of the last two, come from the timeline."""
        timeline = Timeline.from_segments([
            ("first", 0.0, 0.25, "waiting"), ("second", 0.25, 0.5, "waiting"),
            ("together 1", 0.5, 0.75, "waiting"), ("together 2", 0.51, 0.76, "waiting")])
        sentence = said(text.recorded(timeline))
        assert "Alone, the counts took 250 ms and 250 ms" in sentence
        assert "took 260 ms from the first start" in sentence and "for 240 ms of it" in sentence

    def test_too_few_lanes(self):
        """A timeline without the four lanes asks for the cell to be run."""
        assert "Run the recording cell" in said(text.recorded(
            Timeline.from_segments([("a", 0, 1, "waiting")])))


class TestOrders:
    def test_counts_orders_and_compares_with_the_switch_interval(self):
        """Distinct orders per setting, the print time and the GIL's part are all stated."""
        sentence = said(text.orders(["1 a"] * 3, ["1 a", "a 1", "1 a"], 50e-6, QUIET_GIL))
        assert "**1 distinct order** in 3 runs, most often `1 a`" in sentence
        assert "**2 distinct orders** appeared in 3 runs" in sentence
        assert "Five prints took 50 µs here, far less than" in sentence
        assert "looks* fixed" in sentence

    def test_without_a_gil(self):
        """A free-threaded build gets the explanation that fits it."""
        sentence = said(text.orders(["1 a"], ["a 1"], 50e-6, BUSY_NO_GIL))
        assert "no GIL" in sentence and "looks* fixed" not in sentence


class TestStartCosts:
    def test_factor_between_a_process_and_a_thread(self):
        """Both medians and their ratio are stated."""
        sentence = said(text.start_costs({"thread": [1e-4, 1e-4, 5e-4],
                                          "process (fork)": [0.01, 0.02, 0.01]}))
        assert "**0.100 ms**" in sentence and "process (fork) in **10.0 ms**" in sentence
        assert "the price of 100 thread starts" in sentence

    def test_before_the_measurement(self):
        """Without both kinds, it asks for the measurement."""
        assert "Run the measurement" in said(text.start_costs({"thread": [1e-4]}))


@pytest.mark.parametrize("report, gap", [
    (QUIET_GIL, "under the GIL those parts take turns"),
    (BUSY_NO_GIL, "without a GIL they may overlap"),
])
def test_io_sweep_speedup_and_gap(report, gap):
    """The most threads' speedup is computed; the gap is explained for this build."""
    sentence = said(text.io_sweep([(1, 0.4), (4, 0.1), (12, 0.05)], report))
    assert "12 threads were 8.0x faster than 1 (400 ms down to 50 ms)" in sentence
    assert gap in sentence


@dataclass
class FakeRun:
    metrics: object


@dataclass
class FakeMetrics:
    share_2_running: float
    cpu_over_wall: float
    cores: int = 2


class TestPreview:
    def test_parallel_processes_on_a_quiet_machine(self):
        """Ratios to one countdown and the charts' shares are stated; processes had cores."""
        sentence = said(text.preview(0.2, 0.11, 0.1, FakeRun(FakeMetrics(0.0, 0.99)),
                                     FakeRun(FakeMetrics(0.9, 1.9)), QUIET_GIL))
        assert "Two took 2.0 times as long in two threads (200 ms)" in sentence
        assert "1.1 times as long in two processes (110 ms)" in sentence
        assert "**0%**" in sentence and "**90%**" in sentence
        assert "each got a core of its own" in sentence

    def test_busy_machine_is_named(self):
        """When the processes barely overlapped, the load is given as the reason."""
        sentence = said(text.preview(0.2, 0.2, 0.1, FakeRun(FakeMetrics(0.0, 0.99)),
                                     FakeRun(FakeMetrics(0.1, 1.0)), BUSY_NO_GIL))
        assert "a load of 3.0" in sentence and "no GIL" in sentence
