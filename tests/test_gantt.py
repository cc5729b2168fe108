"""Tests for course.gantt: the finding, the chart's panels, zoom, legend and bar charts."""

import io
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from course import gantt
from course.gantt import busy_note, describe, plot_bars, plot_gantt, zoom_window
from course.timeline import Timeline

HERE = os.getpid()


def timeline_of(rows, pids=None, tids=None, cores=2):
    """A synthetic timeline whose lanes claim the given pids and thread ids."""
    timeline = Timeline.from_segments(rows, cores=cores)
    for i, lane in enumerate(timeline.lanes):
        lane["pid"] = pids[i] if pids else 0
        lane["tid"] = tids[i] if tids else 0
    return timeline


def turns(lanes=4, turn=0.005, total=1.0):
    """Lanes that take turns: one runs while the others are ready."""
    rows = []
    for k in range(round(total / turn)):
        for i in range(lanes):
            kind = "running" if k % lanes == i else "ready"
            rows.append((f"thread {i + 1}", k * turn, (k + 1) * turn, kind))
    return rows


def threads(rows, n=4):
    return timeline_of(rows, pids=[HERE] * n, tids=list(range(1, n + 1)))


def processes(rows, n=4):
    return timeline_of(rows, pids=list(range(9001, 9001 + n)), tids=[1] * n)


def every_kind():
    """Two processes showing all four kinds."""
    rows = [("p1", 0, 0.1, "startup"), ("p1", 0.1, 0.5, "running"), ("p1", 0.5, 0.7, "waiting"),
            ("p1", 0.7, 1.0, "ready"), ("p2", 0, 0.2, "startup"), ("p2", 0.2, 1.0, "running")]
    return processes(rows, n=2)


class TestDescribe:
    def test_threads_taking_turns(self):
        """Turn-taking threads: at most one running, CPU/wall from the running time."""
        assert describe(threads(turns())) == (
            "4 threads took turns: at most 1 running at a time, CPU/wall 1.00")

    def test_processes_in_parallel(self):
        """Processes running two at a time: the share with >=2 running and CPU/wall."""
        rows = [(f"process {i + 1}", 0.5 * (i // 2), 0.5 * (i // 2 + 1)) for i in range(4)]
        assert describe(processes(rows)) == (
            "4 processes ran in parallel: >=2 running 100% of the time, CPU/wall 2.00")

    def test_overlapping_waits(self):
        """I/O threads: a little running, long waits that overlap."""
        rows = []
        for i in range(4):
            rows += [(f"t{i}", i * 0.01, (i + 1) * 0.01, "running"),
                     (f"t{i}", (i + 1) * 0.01, 0.2, "waiting")]
        assert describe(threads(rows)) == ("4 threads overlapped their waits: >=2 waiting 90% "
                                           "of the time, wall 0.20 s, CPU/wall 0.20")

    def test_one_after_another(self):
        """Lanes of one thread that never overlap ran one after another."""
        rows = [(f"task {i + 1}", i * 0.05, (i + 1) * 0.05) for i in range(4)]
        timeline = timeline_of(rows, pids=[HERE] * 4, tids=[7] * 4)
        assert describe(timeline) == "4 tasks ran one after another: wall 0.20 s, CPU/wall 1.00"

    def test_threads_of_another_python_are_threads(self):
        """Threads run in another interpreter (one pid, not ours, several threads) are threads."""
        rows = [(f"t{i}", 0.5 * i, 0.5 * (i + 1)) for i in range(2)]
        timeline = timeline_of(rows, pids=[HERE + 1] * 2, tids=[7, 8])
        assert describe(timeline).startswith("2 threads ")

    def test_one_lane_of_another_process_is_a_process(self):
        """A single lane run by another process is that process."""
        timeline = timeline_of([("p", 0, 0.5)], pids=[HERE + 1], tids=[7])
        assert describe(timeline).startswith("1 process ")

    def test_single_lane(self):
        """One thread ran alone."""
        timeline = timeline_of([("main", 0, 0.5)], pids=[HERE], tids=[7])
        assert describe(timeline) == "1 thread ran alone: wall 0.50 s, CPU/wall 1.00"

    def test_rare_overlap_still_takes_turns(self):
        """A sliver of overlap is reported as a small share, not as parallel."""
        rows = [("a", 0, 0.52), ("b", 0.48, 1.0)]
        assert describe(threads(rows, n=2)) == (
            "2 threads took turns: >=2 running only 4% of the time, CPU/wall 1.04")

    def test_unknown_identity_says_lanes(self):
        """Timelines built from segments alone do not claim threads or processes."""
        assert describe(Timeline.from_segments(turns(lanes=2))).startswith("2 lanes took turns")

    def test_accepts_a_result(self):
        """A Result of course.run is described by its timeline."""
        result = SimpleNamespace(timeline=threads(turns()), switch_interval=0.005)
        assert describe(result) == describe(result.timeline)


class TestBusyNote:
    def test_busy_machine_with_processes(self):
        """Processes showing about one lane running on a loaded machine get the note."""
        timeline = processes(turns())
        assert busy_note(timeline, load=4.5) == (
            "note: the machine was busy (load 4.5 on 2 cores), so the processes could not "
            "each get a core")

    @pytest.mark.parametrize("load", [0.0, 1.9])
    def test_quiet_machine(self, load):
        """Below one task per core the chart speaks for itself."""
        assert busy_note(processes(turns()), load=load) == ""

    def test_threads_with_a_full_core(self):
        """Threads that got a whole core between them took turns because of the GIL alone."""
        assert busy_note(threads(turns()), load=10.0) == ""

    def test_threads_short_of_a_core(self):
        """CPU-bound threads of one process well under one core waited for a core too."""
        rows = [("a", 0, 0.2), ("a", 0.2, 1.0, "ready"),
                ("b", 0, 0.2, "ready"), ("b", 0.2, 0.4), ("b", 0.4, 1.0, "ready")]
        assert busy_note(threads(rows, n=2), load=3.0) == (
            "note: the machine was busy (load 3.0 on 2 cores), so the work also waited for a "
            "core (CPU/wall 0.40)")

    def test_waiting_threads_get_no_note(self):
        """Threads that mostly sleep are expected to use little CPU."""
        rows = [("a", 0, 0.01), ("a", 0.01, 1.0, "waiting"), ("b", 0, 1.0, "waiting")]
        assert busy_note(threads(rows, n=2), load=10.0) == ""


class TestPanels:
    def test_one_lane_per_timeline_lane(self):
        """The lanes panel has one labelled row per lane, first lane on top."""
        fig = plot_gantt(threads(turns()))
        lanes = _axes(fig, "lanes")
        assert [t.get_text() for t in lanes.get_yticklabels()] == [
            "thread 1", "thread 2", "thread 3", "thread 4"]
        assert lanes.get_ylim()[0] > lanes.get_ylim()[1]

    def test_process_lanes_show_pids(self):
        """Lanes of several processes carry their pid."""
        fig = plot_gantt(every_kind())
        labels = [t.get_text() for t in _axes(fig, "lanes").get_yticklabels()]
        assert labels == ["p1 (pid 9001)", "p2 (pid 9002)"]

    def test_long_run_gets_a_zoom(self):
        """A run of many switch intervals gets a zoom panel and profile beside the whole run."""
        fig = plot_gantt(threads(turns()), switch_interval=0.005)
        assert _labels(fig) == {"lanes", "lanes (zoom)", "profile", "profile (zoom)"}
        lo, hi = _axes(fig, "lanes (zoom)").get_xlim()
        assert hi - lo == pytest.approx(55.0)
        assert "11 switch intervals of 5 ms" in _axes(fig, "lanes (zoom)").get_title(loc="left")

    def test_zoom_is_marked_on_the_whole_run(self):
        """The whole-run panels outline the zoomed stretch."""
        fig = plot_gantt(threads(turns()), switch_interval=0.005)
        marks = [p for p in _axes(fig, "lanes").patches if p.get_gid() == "zoom-region"]
        assert len(marks) == 1

    def test_short_run_has_no_zoom(self):
        """A run shorter than three zoom windows is drawn whole, without a zoom."""
        fig = plot_gantt(threads(turns(total=0.1)), switch_interval=0.005)
        assert _labels(fig) == {"lanes", "profile"}

    def test_zoom_off(self):
        """zoom=None leaves the zoom out."""
        assert "lanes (zoom)" not in _labels(plot_gantt(threads(turns()), zoom=None))

    def test_explicit_zoom_window(self):
        """A (start_s, end_s) zoom shows exactly that stretch, in ms since the start."""
        fig = plot_gantt(threads(turns()), zoom=(0.2, 0.3))
        assert _axes(fig, "lanes (zoom)").get_xlim() == pytest.approx((200.0, 300.0))

    def test_profile_with_core_line(self):
        """The profile panel shows lanes running and a dashed line at the number of cores."""
        fig = plot_gantt(threads(turns()), zoom=None)
        lines = {line.get_label(): line for line in _axes(fig, "profile").get_lines()}
        assert list(lines["2 cores"].get_ydata()) == [2, 2]
        assert lines["2 cores"].get_linestyle() == "--"

    def test_profile_off(self):
        """profile=False draws the lanes alone."""
        assert _labels(plot_gantt(threads(turns()), profile=False, zoom=None)) == {"lanes"}

    def test_legend_names_every_kind_present(self):
        """The legend names each kind drawn, then the waiting line and the core line."""
        fig = plot_gantt(every_kind())
        texts = [t.get_text() for t in fig.legends[0].get_texts()]
        assert texts == ["running", "ready, not running (GIL or CPU)",
                         "waiting (sleep, I/O, lock)", "starting up", "lanes waiting", "2 cores"]

    def test_legend_leaves_out_absent_kinds(self):
        """Turn-taking threads show no waiting or start-up entries."""
        texts = [t.get_text() for t in plot_gantt(threads(turns())).legends[0].get_texts()]
        assert texts == ["running", "ready, not running (GIL or CPU)", "2 cores"]

    def test_seconds_for_long_runs(self):
        """Runs of 2 s or more are labelled in seconds."""
        fig = plot_gantt(threads(turns(total=3.0)), zoom=None)
        assert _axes(fig, "profile").get_xlabel() == "time since start (s)"


class TestTitle:
    @pytest.fixture(autouse=True)
    def quiet_machine(self, monkeypatch):
        """Titles here must not depend on how busy the test machine is."""
        monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))

    def test_title_is_the_finding(self):
        """Without a title the figure states the finding."""
        timeline = threads(turns())
        assert plot_gantt(timeline)._suptitle.get_text() == describe(timeline)

    def test_caller_title_comes_first(self):
        """A caller's title sits above the finding."""
        timeline = threads(turns())
        text = plot_gantt(timeline, title="Lesson 2")._suptitle.get_text()
        assert text == f"Lesson 2\n{describe(timeline)}"

    def test_busy_machine_note_in_title(self, monkeypatch):
        """On a loaded machine, processes that barely overlapped get the note under the finding."""
        monkeypatch.setattr(os, "getloadavg", lambda: (8.0, 8.0, 8.0))
        text = plot_gantt(processes(turns()))._suptitle.get_text()
        assert text.endswith("note: the machine was busy (load 8.0 on 2 cores), so the "
                             "processes could not each get a core")


class TestZoomWindow:
    def test_goes_where_the_hand_offs_are(self):
        """The auto zoom covers the burst of hand-offs in an otherwise quiet run."""
        rows = [("a", 0, 0.6), ("b", 0.62, 1.0)]
        rows += [("a" if k % 2 else "b", 0.6 + k * 0.001, 0.6 + (k + 1) * 0.001)
                 for k in range(20)]
        timeline = threads(rows, n=2)
        start, end = zoom_window(timeline, "auto", switch_interval=0.005)
        assert start <= 0.6e9 and end >= 0.62e9

    def test_even_run_zooms_on_the_middle(self):
        """When hand-offs are spread evenly the zoom sits near the middle."""
        start, end = zoom_window(threads(turns()), "auto", switch_interval=0.005)
        assert abs((start + end) / 2 - 0.5e9) < 0.1e9

    def test_width_in_seconds(self):
        """A number is the zoom's width in seconds."""
        start, end = zoom_window(threads(turns()), 0.1)
        assert end - start == 100_000_000

    def test_result_switch_interval_sizes_the_zoom(self):
        """A Result's switch interval sets the auto zoom's width."""
        result = SimpleNamespace(timeline=threads(turns()), switch_interval=0.001)
        fig = plot_gantt(result)
        lo, hi = _axes(fig, "lanes (zoom)").get_xlim()
        assert hi - lo == pytest.approx(11.0)


class TestOptions:
    def test_draws_into_a_given_axes(self):
        """With ax, only the lanes are drawn there and its figure is returned."""
        ax = Figure().subplots()
        fig = plot_gantt(threads(turns()), ax=ax)
        assert fig is ax.figure and len(fig.axes) == 1
        assert len(ax.get_yticklabels()) == 4

    def test_figsize(self):
        """figsize sets the figure's size in inches."""
        assert tuple(plot_gantt(threads(turns()), figsize=(6, 3)).get_size_inches()) == (6, 3)

    def test_real_run_renders(self):
        """A recorded run of threads draws and saves as a PNG."""
        import course
        result = course.run("cpu", workers=2, backend="threads", size_ms=20)
        buffer = io.BytesIO()
        plot_gantt(result).savefig(buffer, format="png")
        assert buffer.getvalue()[:4] == b"\x89PNG"

    def test_no_pyplot(self):
        """Charts never load pyplot, and importing course does not load matplotlib."""
        code = ("import sys, course; assert 'matplotlib' not in sys.modules\n"
                "from course.timeline import Timeline\n"
                "course.plot_gantt(Timeline.from_segments([('a', 0, 1)]))\n"
                "assert 'matplotlib.pyplot' not in sys.modules")
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


class TestLanesAndProfile:
    def test_lanes_on_a_longer_scale(self):
        """plot_lanes draws only the lanes, titled, over a time span longer than the run."""
        fig = gantt.plot_lanes(threads(turns(total=0.2)), title="short", wall_s=0.5)
        (ax,) = fig.axes
        assert ax.get_title(loc="left").startswith("short\n4 threads took turns")
        assert ax.get_xlim() == (0.0, 500.0) and len(ax.get_yticklabels()) == 4

    def test_profile_against_the_cores(self):
        """plot_profile draws the lanes running at once and a dashed line at the cores."""
        ax = Figure().subplots()
        fig = gantt.plot_profile(threads(turns()), ax=ax, wall_s=2.0)
        assert fig is ax.figure and ax.get_xlim() == (0.0, 2.0)
        assert "2 cores" in [line.get_label() for line in ax.get_lines()]

    @pytest.mark.parametrize("wall_s", [0, -1, "1", float("inf")])
    def test_bad_span(self, wall_s):
        """The time span must be a finite number of seconds > 0."""
        with pytest.raises(ValueError, match=r"^wall_s must be a number of seconds > 0"):
            gantt.plot_lanes(threads(turns()), wall_s=wall_s)
        with pytest.raises(ValueError, match=r"^wall_s must be a number of seconds > 0"):
            gantt.plot_profile(threads(turns()), wall_s=wall_s)

class TestSideBySide:
    def test_one_scale_and_one_legend(self):
        """Runs of different lengths share one time axis and one legend; None runs are skipped."""
        short = Timeline.from_segments([("a", 0, 0.1), ("b", 0.1, 0.2)])
        long = Timeline.from_segments([("a", 0, 0.4), ("b", 0, 0.4, "waiting")])
        fig = gantt.plot_side_by_side([("short", short), ("missing", None), ("long", long)])
        assert len(fig.axes) == 2
        assert fig.axes[0].get_title(loc="left").startswith("short\n2 lanes ran one after")
        assert fig.axes[0].get_xlim() == fig.axes[1].get_xlim() == (0.0, 400.0)
        assert [ax.get_xlabel() for ax in fig.axes] == ["", "time since start (ms)"]
        (legend,) = fig.legends
        assert [t.get_text() for t in legend.get_texts()] == [
            "running", "waiting (sleep, I/O, lock)"]

    def test_title_separator_and_results(self):
        """The figure title goes on top; sep joins heading and finding; a Result is drawn."""
        result = SimpleNamespace(timeline=threads(turns(total=0.2)))
        fig = gantt.plot_side_by_side([("run", result)], title="pair", sep=": ")
        assert fig.get_suptitle() == "pair"
        assert fig.axes[0].get_title(loc="left").startswith("run: 4 threads took turns")

    def test_seconds_for_long_runs(self):
        """The axis counts seconds once the longest run passes 2 s, as every chart does."""
        fig = gantt.plot_side_by_side([("short", threads(turns(total=0.2))),
                                       ("long", threads(turns(total=3.0)))])
        assert fig.axes[1].get_xlabel() == "time since start (s)"
        assert fig.axes[0].get_xlim() == (0.0, 3.0)

    @pytest.mark.parametrize("runs, error, message", [
        ([], ValueError, r"^runs must hold at least one \(heading, timeline\) pair"),
        ([("missing", None)], ValueError, "at least one"),
        ([("bad", "timeline")], TypeError, "^timeline must be a Timeline"),
        ([(3, Timeline.from_segments([("a", 0, 1)]))], TypeError, "^each heading must be a str"),
    ])
    def test_bad_runs(self, runs, error, message):
        """Nothing to draw, a run that is no timeline, or a heading that is no text."""
        with pytest.raises(error, match=message):
            gantt.plot_side_by_side(runs)


class TestBadInput:
    @pytest.mark.parametrize("bad", [None, [("a", 0, 1)], "timeline"])
    def test_wrong_type(self, bad):
        """Anything but a Timeline or Result is a TypeError naming the type."""
        with pytest.raises(TypeError, match=r"^timeline must be a Timeline or a Result of "
                                            r"course.run \(got \w+\)$"):
            plot_gantt(bad)

    @pytest.mark.parametrize("rows", [[], [("a", 1, 1)]])
    def test_empty_timeline(self, rows):
        """A timeline with nothing recorded is refused at the door."""
        with pytest.raises(ValueError, match="^timeline is empty: nothing was recorded$"):
            plot_gantt(Timeline.from_segments(rows))
        with pytest.raises(ValueError, match="^timeline is empty: nothing was recorded$"):
            describe(Timeline.from_segments(rows))

    @pytest.mark.parametrize("zoom", ["big", 0, -1, (0.3, 0.2), (0.1,), True])
    def test_bad_zoom(self, zoom):
        """zoom must be 'auto', None, a positive width or an ordered pair."""
        with pytest.raises(ValueError, match="^zoom must be 'auto', None, a width in seconds"):
            plot_gantt(threads(turns()), zoom=zoom)

    @pytest.mark.parametrize("figsize", [(0, 3), (6,), "big", (6, float("nan"))])
    def test_bad_figsize(self, figsize):
        """figsize must be two positive numbers."""
        with pytest.raises(ValueError, match=r"^figsize must be a \(width, height\) pair"):
            plot_gantt(threads(turns()), figsize=figsize)

    def test_bad_options(self):
        """Wrong types for profile, ax and title are TypeErrors; a bad interval a ValueError."""
        timeline = threads(turns())
        with pytest.raises(TypeError, match=r"^profile must be True or False \(got 'yes'\)$"):
            plot_gantt(timeline, profile="yes")
        with pytest.raises(TypeError, match=r"^ax must be a matplotlib Axes or None \(got int\)$"):
            plot_gantt(timeline, ax=3)
        with pytest.raises(TypeError, match=r"^title must be a str or None \(got int\)$"):
            plot_gantt(timeline, title=3)
        with pytest.raises(ValueError, match=r"^switch_interval must be > 0 seconds \(got -1\)$"):
            plot_gantt(timeline, switch_interval=-1)


class TestNotebookDisplay:
    def test_registers_png_for_figures(self, monkeypatch):
        """In a kernel, a bare Figure gets a PNG formatter although pyplot never loaded."""
        from IPython.core.formatters import DisplayFormatter
        import IPython
        shell = SimpleNamespace(display_formatter=DisplayFormatter())
        monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
        gantt._enable_notebook_display()
        data, _ = shell.display_formatter.format(plot_gantt(threads(turns())))
        assert data["image/png"][:4] == b"\x89PNG"


class TestPlotBars:
    def test_title_compares_largest_and_smallest(self):
        """The default title names the largest and smallest bars and their ratio."""
        fig = plot_bars(["thread", "fork", "spawn"], [0.1, 12, 180], unit=" ms")
        assert fig.axes[0].get_title(loc="left") == "spawn 180 ms vs thread 0.1 ms: 1,800x"

    def test_bars_are_labelled(self):
        """Each bar carries its value and unit."""
        ax = plot_bars(["1 worker", "4 workers"], [1.0, 1.93], unit="x").axes[0]
        assert [t.get_text() for t in ax.texts] == ["1x", "1.93x"]
        assert ax.get_title(loc="left") == "4 workers 1.93x vs 1 worker 1x: 1.9x"

    def test_reference_line(self):
        """A reference value draws a labelled dashed line."""
        ax = plot_bars(["a", "b"], [1, 2], reference=2, reference_label="2 cores").axes[0]
        assert [line.get_label() for line in ax.get_lines()] == ["2 cores"]

    def test_caller_title_and_axes(self):
        """A given title and Axes are used as they are."""
        ax = Figure().subplots()
        assert plot_bars(["a"], [3], title="start-up", ax=ax) is ax.figure
        assert ax.get_title(loc="left") == "start-up"

    @pytest.mark.parametrize("labels, values, error, message", [
        ([], [], ValueError, r"^plot_bars needs at least one bar \(got no values\)$"),
        (["a"], [1, 2], ValueError,
         r"^labels and values must have the same length \(got 1 labels, 2 values\)$"),
        (["a"], ["1"], TypeError, r"^values must be numbers \(got str for 'a'\)$"),
        (["a"], [float("inf")], ValueError, r"^values must be finite \(got inf for 'a'\)$"),
    ])
    def test_bad_input(self, labels, values, error, message):
        """Bad bars are refused with the rule and the bad value."""
        with pytest.raises(error, match=message):
            plot_bars(labels, values)


def _axes(fig, label) -> Axes:
    return next(ax for ax in fig.axes if ax.get_label() == label)


def _labels(fig) -> set:
    return {ax.get_label() for ax in fig.axes}
