"""Tests for course.widgets: controls -> rerun -> redraw, without a browser or a kernel."""

import sys

import ipywidgets as widgets
import pytest
from matplotlib.figure import Figure

from course import experiments
from course.gantt import plot_bars
from course.widgets import Explorer, SliderChart, explorer, interactive_chart

RUN_TIMEOUT_S = 20  # a run of a few workers x 10 ms; longer means something hangs


class Recorded:
    """A run_fn that draws a tiny bar chart and remembers every call."""

    def __init__(self, fail_on=None):
        self.calls = []
        self.fail_on = fail_on

    def __call__(self, **values):
        self.calls.append(values)
        if values.get("n") == self.fail_on:
            raise ValueError(f"n must not be {self.fail_on} (got {values['n']})")
        return plot_bars(["n"], [values.get("n", 1)], figsize=(2, 2)), f"n is {values.get('n')}"


def png(chart) -> str:
    """The PNG the chart's output area shows."""
    (output,) = chart.output.outputs
    assert output["output_type"] == "display_data"
    return output["data"]["image/png"]


@pytest.fixture
def small_explorer():
    """An explorer over short runs, so each update takes a few tens of milliseconds."""
    return Explorer("cpu", 2, "threads", size_ms=10, timeout=RUN_TIMEOUT_S)


class TestInteractiveChart:
    def test_controls_from_abbreviations(self):
        """Abbreviations become named controls; sliders rerun only on release."""
        chart = interactive_chart(Recorded(), n=(1, 8), rate=(0.0, 1.0), mode=["a", "b"],
                                  on=True)
        kinds = {name: type(c) for name, c in chart.controls.items()}
        assert kinds == {"n": widgets.IntSlider, "rate": widgets.FloatSlider,
                         "mode": widgets.Dropdown, "on": widgets.Checkbox}
        assert chart.controls["n"].description == "n"
        assert chart.controls["n"].continuous_update is False

    def test_runs_at_once(self):
        """The chart and its text show before anything moves."""
        run = Recorded()
        chart = interactive_chart(run, n=(1, 8))
        assert run.calls == [{"n": 4}]
        assert isinstance(chart.figure, Figure) and png(chart)
        assert chart.status.value == "n is 4"

    def test_run_now_false_waits(self):
        """With run_now=False nothing runs until the first update."""
        run = Recorded()
        chart = interactive_chart(run, run_now=False, n=(1, 8))
        assert run.calls == [] and chart.output.outputs == ()

    def test_update_reruns_and_redraws(self):
        """update() sets the control, reruns once and shows the new chart and text."""
        run = Recorded()
        chart = interactive_chart(run, n=(1, 8))
        before = png(chart)
        assert chart.update(n=7) == "n is 7"
        assert chart.controls["n"].value == 7
        assert png(chart) != before
        assert chart.status.value == "n is 7"

    def test_update_of_several_controls_reruns_once(self):
        """Setting two controls in one update costs one run, not two."""
        run = Recorded()
        chart = interactive_chart(run, n=(1, 8), mode=["a", "b"])
        chart.update(n=2, mode="b")
        assert run.calls[1:] == [{"n": 2, "mode": "b"}]

    def test_moving_a_control_reruns(self):
        """A change made at the controls (not through update) reruns too."""
        run = Recorded()
        chart = interactive_chart(run, n=(1, 8))
        chart.controls["n"].value = 3
        assert run.calls[-1] == {"n": 3} and chart.text == "n is 3"

    def test_failed_run_from_the_controls_shows_the_error(self):
        """An error caused at the controls is shown in the status line, the old chart stays."""
        chart = interactive_chart(Recorded(fail_on=5), n=(1, 8))
        before = png(chart)
        chart.controls["n"].value = 5
        assert "could not run: n must not be 5 (got 5)" in chart.status.value
        assert png(chart) == before

    def test_failed_update_raises(self):
        """update() raises the run's error (and shows it too)."""
        chart = interactive_chart(Recorded(fail_on=5), n=(1, 8))
        with pytest.raises(ValueError, match=r"^n must not be 5 \(got 5\)$"):
            chart.update(n=5)
        assert "could not run" in chart.status.value

    def test_figure_only_run_fn(self):
        """run_fn may return a bare Figure; the status line is then empty."""
        chart = interactive_chart(lambda n: plot_bars(["n"], [n]), n=(1, 3))
        assert png(chart) and chart.status.value == ""

    def test_log_slider_bounds(self):
        """A FloatLogSlider's range is base**min..base**max."""
        log = widgets.FloatLogSlider(value=0.005, base=10, min=-4, max=-1)
        chart = interactive_chart(lambda interval: plot_bars(["s"], [interval]), interval=log)
        chart.update(interval=0.05)
        with pytest.raises(ValueError, match=r"^interval must be between 0.0001 and 0.1 "
                                             r"\(got 0.5\)$"):
            chart.update(interval=0.5)

    @pytest.mark.parametrize("values, error, message", [
        ({"n": 0}, ValueError, r"^n must be between 1 and 8 \(got 0\)$"),
        ({"n": 9}, ValueError, r"^n must be between 1 and 8 \(got 9\)$"),
        ({"n": "3"}, TypeError, r"^n must be an int \(got str\)$"),
        ({"n": True}, TypeError, r"^n must be an int \(got bool\)$"),
        ({"mode": "c"}, ValueError, r"^mode must be one of a, b \(got 'c'\)$"),
        ({"on": 1}, TypeError, r"^on must be True or False \(got int\)$"),
        ({"colour": 1}, TypeError, r"^unknown control 'colour' \(controls: n, mode, on\)$"),
    ])
    def test_bad_values(self, values, error, message):
        """Bad values are refused with the rule, before anything runs or changes."""
        run = Recorded()
        chart = interactive_chart(run, n=(1, 8), mode=["a", "b"], on=True)
        with pytest.raises(error, match=message):
            chart.update(**values)
        assert len(run.calls) == 1 and chart.controls["n"].value == 4

    def test_bad_construction(self):
        """A chart needs a callable, at least one control, and controls it can build."""
        with pytest.raises(TypeError, match=r"^run_fn must be callable \(got int\)$"):
            interactive_chart(3, n=(1, 8))
        with pytest.raises(ValueError, match=r"^a chart needs at least one control \(got none\)$"):
            interactive_chart(Recorded())
        with pytest.raises(TypeError, match=r"^control 'n' must be a widget or an abbreviation"):
            interactive_chart(Recorded(), n=object())

    def test_run_fn_must_return_a_figure(self):
        """A run_fn returning something else is a TypeError naming what came back."""
        with pytest.raises(TypeError, match=r"^run_fn must return a Figure or a \(Figure, "
                                            r"text\) pair \(got int\)$"):
            interactive_chart(lambda n: 3, n=(1, 8))

    def test_is_a_vbox(self):
        """A SliderChart displays as an ipywidgets VBox: controls, status, chart."""
        chart = interactive_chart(Recorded(), n=(1, 8))
        assert isinstance(chart, (SliderChart, widgets.VBox))
        assert chart.children[1:] == (chart.status, chart.output)


class TestExplorer:
    def test_first_run(self, small_explorer):
        """The explorer runs once at once and shows the chart and the measured numbers."""
        result = small_explorer.result
        assert (result.workload, result.workers, result.backend) == ("cpu", 2, "threads")
        assert png(small_explorer)
        text = small_explorer.status.value
        assert text.startswith("wall ") and "CPU/wall" in text and "speedup" in text

    def test_controls(self, small_explorer):
        """Controls offer the experiments' names; sliders rerun only on release."""
        controls = small_explorer.controls
        assert controls["workload"].options == experiments.WORKLOADS
        assert controls["backend"].options == experiments.BACKENDS
        assert controls["start_method"].options == experiments.START_METHODS
        assert (controls["workers"].min, controls["workers"].max) == (1, 16)
        assert controls["workers"].continuous_update is False
        assert controls["switch_interval_ms"].continuous_update is False

    def test_start_method_only_for_processes(self, small_explorer):
        """The start method control is enabled only when processes are chosen."""
        assert small_explorer.controls["start_method"].disabled
        small_explorer.controls["backend"].value = "processes"
        assert not small_explorer.controls["start_method"].disabled

    def test_update_to_processes(self, small_explorer):
        """Switching to processes reruns in several processes and redraws."""
        before, text_before = png(small_explorer), small_explorer.text
        small_explorer.update(backend="processes", workers=2,
                              start_method=experiments.START_METHODS[0])
        result = small_explorer.result
        assert result.backend == "processes" and result.metrics.processes == 2
        assert png(small_explorer) != before
        assert small_explorer.text != text_before

    def test_switch_interval_restored(self, small_explorer):
        """A run with another switch interval leaves the interpreter's setting as it was."""
        old = sys.getswitchinterval()
        small_explorer.update(switch_interval_ms=1)
        assert small_explorer.result.switch_interval == pytest.approx(0.001)
        assert sys.getswitchinterval() == old

    def test_baseline_measured_once(self, small_explorer):
        """The one-worker baseline is measured once per workload and interval, then reused."""
        small_explorer.update(workers=3)
        assert len(small_explorer._baselines) == 1

    def test_switch_interval_snaps_to_an_option(self):
        """A starting interval between options snaps to the nearest one."""
        chart = explorer(size_ms=10, switch_interval_ms=4, run_now=False)
        assert chart.controls["switch_interval_ms"].value == 5

    @pytest.mark.parametrize("values, error, message", [
        ({"workers": 0}, ValueError, r"^workers must be between 1 and 16 \(got 0\)$"),
        ({"workers": 17}, ValueError, r"^workers must be between 1 and 16 \(got 17\)$"),
        ({"workers": 2.5}, TypeError, r"^workers must be an int \(got float\)$"),
        ({"workload": "gpu"}, ValueError,
         r"^workload must be one of cpu, io, hash, hash-small \(got 'gpu'\)$"),
        ({"backend": "green"}, ValueError,
         r"^backend must be one of sequential, threads, processes \(got 'green'\)$"),
        ({"switch_interval_ms": 3}, ValueError,
         r"^switch_interval_ms must be one of 0.5, 1, 2, 5, 10, 20, 50 \(got 3\)$"),
    ])
    def test_bad_values(self, small_explorer, values, error, message):
        """Bad values are refused with the rule, and the last run stays on show."""
        before = small_explorer.result
        with pytest.raises(error, match=message):
            small_explorer.update(**values)
        assert small_explorer.result is before

    def test_bad_start_values(self):
        """Bad starting values are refused before anything runs."""
        with pytest.raises(ValueError, match=r"^workers must be between 1 and 16 \(got 0\)$"):
            explorer(workers=0)
        with pytest.raises(ValueError, match=r"^backend must be one of"):
            explorer(backend="fibers")
