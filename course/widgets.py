"""Explorers: move a control, the experiment reruns, the chart redraws.

``interactive_chart(run_fn, workers=(1, 8), ...)`` is the generic "controls -> rerun ->
redraw" widget any lesson can build on: *run_fn* receives the controls' values and returns a
Figure, or a (Figure, text) pair whose text is shown under the controls. ``explorer()`` is the
course's own: workload, workers, backend, start method and switch interval, with the Gantt
chart of each run and its measured numbers.

Sliders use ``continuous_update=False`` so a drag reruns once, on release. Each widget has an
``update(**values)`` method doing what a person at the controls does, so it can be tested
without a browser or a kernel. ipywidgets loads only with this module, never with ``course``.
"""

from __future__ import annotations

import base64
import html
import io
import math
import sys
from contextlib import contextmanager
from typing import Callable

import ipywidgets as widgets
from matplotlib.figure import Figure

from . import experiments
from .gantt import plot_gantt

__all__ = ["SliderChart", "interactive_chart", "Explorer", "explorer", "SWITCH_INTERVALS_MS",
           "MAX_EXPLORER_WORKERS"]

SWITCH_INTERVALS_MS = (0.5, 1, 2, 5, 10, 20, 50)
MAX_EXPLORER_WORKERS = 16
# Errors a run can raise because of what was asked of it; shown in the widget, not as a traceback.
RUN_ERRORS = (ValueError, TypeError, TimeoutError, RuntimeError)
CHART_DPI = 90
BASELINE_RUNS = 3
_LAYOUT = {"description_width": "initial"}


class SliderChart(widgets.VBox):
    """Controls above a chart: changing a control reruns *run_fn* and redraws the chart.

    Attributes:
        controls: name -> control widget; the names are *run_fn*'s keyword arguments.
        status: an HTML line with *run_fn*'s text (or the error of the last run).
        output: an Output widget holding the chart as a PNG.
        figure: the last Figure drawn (None before the first run).
        text: the last text shown.
    """

    def __init__(self, run_fn: Callable, controls: dict, *, run_now: bool = True) -> None:
        if not callable(run_fn):
            raise TypeError(f"run_fn must be callable (got {type(run_fn).__name__})")
        if not controls:
            raise ValueError("a chart needs at least one control (got none)")
        self.run_fn = run_fn
        self.controls = dict(controls)
        self.status = widgets.HTML()
        self.output = widgets.Output()
        self.figure: Figure | None = None
        self.text = ""
        self._quiet = False  # True while update() sets several controls: rerun once, after
        super().__init__([_control_box(list(self.controls.values())), self.status, self.output])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        if run_now:
            self.rerun()

    @property
    def values(self) -> dict:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self, **values) -> str:
        """Set some controls as a person would, then rerun and redraw once.

        Returns:
            The text shown under the controls.

        Raises:
            TypeError: an unknown control name, or a value of the wrong type.
            ValueError: a value outside the control's range or options.
        """
        for name, value in values.items():
            self._check(name, value)
        with self._holding():
            for name, value in values.items():
                self.controls[name].value = value
        return self.rerun()

    def rerun(self) -> str:
        """Run *run_fn* with the current values and show its chart and text."""
        self.status.value = "<i>running...</i>"
        try:
            figure, text = _split(self.run_fn(**self.values))
        except RUN_ERRORS as exc:
            self._show_error(exc)
            raise
        self.figure, self.text = figure, text
        self.output.outputs = (_display_data(figure),)
        self.status.value = html.escape(text)
        return text

    def _on_change(self, change) -> None:
        if self._quiet:
            return
        try:
            self.rerun()
        except RUN_ERRORS:
            pass  # already shown in the status line, where the person at the controls looks

    def _show_error(self, exc: BaseException) -> None:
        self.status.value = (f"<span style='color:#D55E00'>could not run: "
                             f"{html.escape(str(exc))}</span>")

    @contextmanager
    def _holding(self):
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def _check(self, name: str, value) -> None:
        if name not in self.controls:
            raise TypeError(f"unknown control {name!r} (controls: {', '.join(self.controls)})")
        _check_value(name, self.controls[name], value)


def interactive_chart(run_fn: Callable, *, run_now: bool = True, **controls) -> SliderChart:
    """Build a chart that reruns *run_fn* whenever a control changes.

    Args:
        run_fn: called as ``run_fn(**values)``; returns a Figure or a (Figure, text) pair.
        run_now: run once at once, so the chart shows before anything moves.
        **controls: one per argument of *run_fn*: a widget, or an abbreviation as in
            ``ipywidgets.interact``: ``(1, 8)`` an IntSlider, ``(0.0, 1.0)`` a FloatSlider,
            ``["a", "b"]`` a Dropdown, ``True`` a Checkbox.

    Returns:
        A SliderChart (an ipywidgets VBox): display it, or call its ``update(**values)``.

    Raises:
        TypeError: *run_fn* is not callable, a control cannot be made from its abbreviation,
            or *run_fn* returns something other than a Figure or (Figure, text).
        ValueError: no controls were given.
    """
    built = {}
    for name, abbrev in controls.items():
        control = widgets.interactive.widget_from_abbrev(abbrev)
        if control is None:
            raise TypeError(f"control {name!r} must be a widget or an abbreviation such as "
                            f"(1, 8) or ['a', 'b'] (got {abbrev!r})")
        built[name] = _settled(control, name)
    return SliderChart(run_fn, built, run_now=run_now)


class Explorer(SliderChart):
    """Run a workload with the chosen workers, backend and switch interval; chart each run.

    Attributes:
        result: the last run's Result (timeline, metrics, settings).
        size_ms: milliseconds of work per worker.
    """

    def __init__(self, workload: str = "cpu", workers: int = 4, backend: str = "threads", *,
                 start_method: str | None = None, switch_interval_ms: float | None = None,
                 size_ms: float | None = None, timeout: float = 60.0,
                 run_now: bool = True) -> None:
        self.size_ms = size_ms
        self.timeout = timeout
        self.result: experiments.Result | None = None
        self._baselines: dict[tuple, experiments.Result] = {}
        interval = switch_interval_ms or sys.getswitchinterval() * 1e3
        controls = _explorer_controls()
        for name, value in (("workload", workload), ("workers", workers), ("backend", backend),
                            ("start_method", start_method or experiments.default_start_method()),
                            ("switch_interval_ms", _nearest_interval(interval))):
            _check_value(name, controls[name], value)
            controls[name].value = value
        controls["backend"].observe(self._enable_start_method, names="value")
        super().__init__(self._run, controls, run_now=False)
        self._enable_start_method()
        if run_now:
            self.rerun()

    def _run(self, workload, workers, backend, start_method, switch_interval_ms):
        self.result = experiments.run(
            workload, workers, backend, size_ms=self.size_ms, timeout=self.timeout,
            start_method=start_method if backend == "processes" else None,
            switch_interval=switch_interval_ms / 1e3)
        return plot_gantt(self.result), _numbers(self.result, self._baseline())

    def _baseline(self) -> experiments.Result:
        """One worker alone, same workload and switch interval: the best of a few, then reused.

        The best of several runs, as ``timeit`` reports, so one disturbed run does not
        inflate every speedup shown afterwards.
        """
        r = self.result
        key = (r.workload, r.size_ms, r.switch_interval)
        if key not in self._baselines:
            runs = [experiments.run(r.workload, 1, "sequential", size_ms=r.size_ms,
                                    timeout=self.timeout, switch_interval=r.switch_interval)
                    for _ in range(BASELINE_RUNS)]
            self._baselines[key] = min(runs, key=lambda run: run.metrics.wall_s)
        return self._baselines[key]

    def _enable_start_method(self, change=None) -> None:
        self.controls["start_method"].disabled = self.controls["backend"].value != "processes"


def explorer(workload: str = "cpu", workers: int = 4, backend: str = "threads", *,
             start_method: str | None = None, switch_interval_ms: float | None = None,
             size_ms: float | None = None, timeout: float = 60.0,
             run_now: bool = True) -> Explorer:
    """Build the concurrency explorer: pick a workload and a backend, see what ran when.

    Args:
        workload: one of experiments.WORKLOADS.
        workers: 1..16 workers.
        backend: one of experiments.BACKENDS.
        start_method: for processes, one of experiments.START_METHODS (default: the platform's).
        switch_interval_ms: GIL switch interval for the runs, snapped to SWITCH_INTERVALS_MS
            (default: the current one). It is restored after every run.
        size_ms: milliseconds of work per worker (default: the workload's).
        timeout: seconds a run may take before it is abandoned with TimeoutError.
        run_now: run once straight away.

    Returns:
        An Explorer (an ipywidgets VBox) with ``update(**values)``, ``result`` and ``figure``.

    Raises:
        TypeError: a value has the wrong type.
        ValueError: a value is outside the controls' range or options.
    """
    return Explorer(workload, workers, backend, start_method=start_method,
                    switch_interval_ms=switch_interval_ms, size_ms=size_ms, timeout=timeout,
                    run_now=run_now)


# --- helpers -----------------------------------------------------------------------------------
def _explorer_controls() -> dict:
    slider = {"continuous_update": False, "style": _LAYOUT}
    return {
        "workload": widgets.Dropdown(options=experiments.WORKLOADS, description="workload",
                                     style=_LAYOUT),
        "workers": widgets.IntSlider(min=1, max=MAX_EXPLORER_WORKERS, description="workers",
                                     **slider),
        "backend": widgets.ToggleButtons(options=experiments.BACKENDS, description="backend",
                                         style=_LAYOUT),
        "start_method": widgets.Dropdown(options=experiments.START_METHODS,
                                         description="start method", style=_LAYOUT),
        "switch_interval_ms": widgets.SelectionSlider(
            options=SWITCH_INTERVALS_MS, description="switch interval (ms)", **slider),
    }


def _nearest_interval(ms: float) -> float:
    return min(SWITCH_INTERVALS_MS, key=lambda option: abs(math.log(option / ms)))


def _numbers(result: experiments.Result, baseline: experiments.Result) -> str:
    """The run's measured numbers, with the speedup over one worker doing every job in turn."""
    m = result.metrics
    alone = baseline.metrics.wall_s
    speedup = result.workers * alone / m.wall_s
    return (f"wall {m.wall_s:.3f} s · CPU/wall {m.cpu_over_wall:.2f} · "
            f">=2 running {m.share_2_running:.0%} of the time · speedup {speedup:.2f}x vs one "
            f"worker doing all {result.workers} jobs ({result.workers} x {alone:.3f} s, "
            "one job timed alone)")


def _control_box(controls: list) -> widgets.Box:
    return widgets.Box(controls, layout=widgets.Layout(display="flex", flex_flow="row wrap"))


def _settled(control, name: str):
    """Name the control and make sliders rerun on release, not on every pixel of a drag."""
    if not getattr(control, "description", "x"):
        control.description = name
    if "continuous_update" in control.trait_names():
        control.continuous_update = False
    if "style" in control.trait_names() and "description_width" in control.style.trait_names():
        control.style.description_width = "initial"
    return control


def _check_value(name: str, control, value) -> None:
    """Refuse what the control itself would silently clamp or reject deep inside traitlets."""
    if hasattr(control, "options") and not isinstance(control, widgets.SelectMultiple):
        allowed = [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in control.options]
        if not any(_same(value, option) for option in allowed):
            raise ValueError(f"{name} must be one of {', '.join(map(str, allowed))} "
                             f"(got {value!r})")
        return
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False (got {type(value).__name__})")
        return
    if isinstance(control.value, int) and not isinstance(control.value, bool):
        kind, ok = "an int", isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(control.value, float):
        kind, ok = "a number", isinstance(value, (int, float)) and not isinstance(value, bool)
    else:
        return
    if not ok:
        raise TypeError(f"{name} must be {kind} (got {type(value).__name__})")
    low, high = _bounds(control)
    if low is not None and not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g} (got {value})")


def _same(a, b) -> bool:
    return a == b and isinstance(a, bool) == isinstance(b, bool)  # True == 1, but not here


def _bounds(control):
    if isinstance(control, widgets.FloatLogSlider):  # its min and max are exponents
        return control.base ** control.min, control.base ** control.max
    return getattr(control, "min", None), getattr(control, "max", None)


def _split(returned) -> tuple[Figure, str]:
    if isinstance(returned, Figure):
        return returned, ""
    if (isinstance(returned, tuple) and len(returned) == 2 and isinstance(returned[0], Figure)
            and isinstance(returned[1], str)):
        return returned
    raise TypeError(f"run_fn must return a Figure or a (Figure, text) pair "
                    f"(got {type(returned).__name__})")


def _display_data(figure: Figure) -> dict:
    """The figure as the display message a notebook would get for it: a PNG."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=CHART_DPI, bbox_inches="tight")
    w, h = figure.get_size_inches() * CHART_DPI
    return {"output_type": "display_data",
            "data": {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
                     "text/plain": f"<Figure size {w:.0f}x{h:.0f}>"},
            "metadata": {}}
