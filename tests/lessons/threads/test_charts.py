"""Tests for course.lessons.threads.charts: start-up costs, speedups and printed orders."""

import pytest
from matplotlib.figure import Figure

from course.lessons.threads import charts


class TestPlotStartCosts:
    def test_title_compares_a_process_with_a_thread(self):
        """The title says how many times longer a process took than a thread."""
        fig = charts.plot_start_costs({"thread": [0.0001, 0.0001, 0.0003],
                                       "process (fork)": [0.01]})
        title = fig.axes[0].get_title(loc="left")
        assert isinstance(fig, Figure)
        assert "A thread started in 0.100 ms; a process (fork) took 100x longer" in title
        assert "medians of 3 thread starts and 1 process (fork) starts" in title
        assert fig.axes[0].get_xscale() == "log"

    def test_needs_timings(self):
        """An empty kind is refused."""
        with pytest.raises(ValueError, match="at least one timing"):
            charts.plot_start_costs({"thread": []})


class TestPlotIoSweep:
    def test_title_names_the_best_speedup(self):
        """The title gives the most threads' speedup over one, and the ideal."""
        fig = charts.plot_io_sweep([(1, 0.4), (2, 0.2), (4, 0.1)], jobs=4)
        title = fig.axes[0].get_title(loc="left")
        assert title.startswith("4 waiting jobs: 4 threads finished 4.0x sooner than 1")
        assert "(400 ms -> 100 ms, ideal 4x)" in title

    def test_needs_a_run_on_one_thread(self):
        """The speedup needs its baseline."""
        with pytest.raises(ValueError, match=r"a run on 1 thread \(got thread counts \[2\]\)"):
            charts.plot_io_sweep([(2, 0.1)], jobs=2)


class TestPlotOrders:
    def test_title_counts_distinct_orders(self):
        """The title says how many different orders each setting gave."""
        fig = charts.plot_orders({"plain": ["1 a", "1 a"], "paused": ["1 a", "a 1"]}, first="1")
        assert len(fig.axes) == 2
        assert fig.get_suptitle() == ("Printed orders: plain: always the same order in 2 runs; "
                                      "paused: 2 different orders in 2 runs")

    def test_needs_runs(self):
        """A setting without runs is refused."""
        with pytest.raises(ValueError, match="at least one run"):
            charts.plot_orders({"plain": []})
