"""The GIL, measured: detect it, time its turns, and choose threads, processes or neither.

CPython's global interpreter lock lets one thread at a time run Python bytecode, because
reference counts and interpreter state are not otherwise protected. A thread waiting for the
lock asks for it after ``sys.getswitchinterval()`` seconds (5 ms by default), so CPU-bound
threads take *turns* of about that length. Blocking calls (sleep, I/O) and C code such as
hashlib on inputs of 2048 bytes or more release the lock, so those overlap. Free-threaded
builds (3.13+, ``python3.13t``) have no GIL unless it is switched back on
(``PYTHON_GIL=1``); ``sys._is_gil_enabled()`` tells which at run time.
"""

from __future__ import annotations

import hashlib
import itertools
import statistics
import sys
import sysconfig
import threading
import time
from collections import namedtuple
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .doctor import gil_enabled  # sys._is_gil_enabled() where it exists (3.13+), else True
from .timeline import READY, RUNNING, WORK, Recorder, Timeline

__all__ = [
    "gil_enabled", "free_threaded_build", "build_label", "simulate_build",
    "Turn", "turns", "median_turn_ms", "unfair_handoffs", "SweepRow", "switch_sweep",
    "plot_switch_sweep", "switch_explorer",
    "describe_turns", "describe_sweep", "describe_c_code", "describe_choices", "busy_caveat",
    "explain_processes", "build_markdown", "plot_side_by_side", "running_intervals",
    "run_c_threads", "compare_backends", "ChoiceRow", "choice_rows", "choice_markdown",
    "sha256_hex", "make_blobs", "HashTracker",
    "BuildRuns", "SPIN_ITERATIONS", "SPIN_REPEATS", "counterpart_markdown", "compare_builds",
    "time_builds", "builds_markdown", "plot_builds", "describe_builds",
]

# --- which build is this? ------------------------------------------------------------------
def free_threaded_build() -> bool:
    """Return True for a build compiled without the GIL (``Py_GIL_DISABLED``), even if the
    GIL was switched back on at run time."""
    return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def build_label() -> str:
    """Describe the running interpreter in a few words, e.g. "CPython 3.11.7 with the GIL"."""
    version = ".".join(str(part) for part in sys.version_info[:3])
    name = f"{sys.implementation.name.replace('cpython', 'CPython')} {version}"
    if not free_threaded_build():
        return f"{name} with the GIL"
    if gil_enabled():
        return f"{name} free-threaded build, GIL switched back on"
    return f"{name} free-threaded build, no GIL"


_VersionInfo = namedtuple("version_info", "major minor micro releaselevel serial")
_MISSING = object()


@contextmanager
def simulate_build(version: Sequence[int] = (3, 11, 7), *, gil: bool = True,
                   free_threaded: bool = False):
    """Make ``sys`` and ``sysconfig`` look like another CPython build, restoring them after.

    Args:
        version: (major, minor, micro) to show in sys.version_info and sys.version.
        gil: what ``sys._is_gil_enabled()`` returns; the function exists only from 3.13 on.
        free_threaded: the build's ``Py_GIL_DISABLED`` flag (and "free-threading" in sys.version).

    Raises:
        ValueError: a free-threaded build before 3.13, or no GIL on a build that has one.
    """
    major, minor, micro = (tuple(version) + (0, 0))[:3]
    if free_threaded and (major, minor) < (3, 13):
        raise ValueError(f"free-threaded builds start at 3.13 (got {major}.{minor})")
    if not gil and not free_threaded:
        raise ValueError("only a free-threaded build can run without the GIL")
    saved = {name: getattr(sys, name, _MISSING)
             for name in ("version_info", "version", "_is_gil_enabled")}
    real_get = sysconfig.get_config_var
    try:
        sys.version_info = _VersionInfo(major, minor, micro, "final", 0)
        sys.version = f"{major}.{minor}.{micro}" + (
            " experimental free-threading build" if free_threaded else "") + " (simulated)"
        if (major, minor) >= (3, 13):
            sys._is_gil_enabled = lambda: gil
        elif saved["_is_gil_enabled"] is not _MISSING:
            del sys._is_gil_enabled
        sysconfig.get_config_var = (lambda name: (1 if free_threaded else 0)
                                    if name == "Py_GIL_DISABLED" else real_get(name))
        yield
    finally:
        sysconfig.get_config_var = real_get
        for name, value in saved.items():
            if value is _MISSING:
                if hasattr(sys, name):
                    delattr(sys, name)
            else:
                setattr(sys, name, value)


# --- turns under the GIL -------------------------------------------------------------------
@dataclass(frozen=True)
class Turn:
    """A stretch during which one lane ran and no other lane ran in between."""

    lane: str
    start_ns: int
    end_ns: int

    @property
    def duration_ms(self) -> float:
        return (self.end_ns - self.start_ns) / 1e6


def turns(timeline: Timeline) -> list[Turn]:
    """Group a timeline's running segments, in time order, into turns of one lane each.

    A lane briefly preempted by the OS, with no other lane running meanwhile, keeps its
    turn: a turn ends only when another lane starts running (a hand-off).
    """
    running = sorted((s for s in timeline.segments() if s.kind == RUNNING),
                     key=lambda s: s.start_ns)
    result = []
    for lane, group in itertools.groupby(running, key=lambda s: s.lane):
        group = list(group)
        result.append(Turn(lane, group[0].start_ns, max(s.end_ns for s in group)))
    return result


def median_turn_ms(timeline: Timeline, drop_last: bool = True) -> float:
    """Median turn length in milliseconds (0.0 without turns).

    Args:
        drop_last: leave out the last turn, cut short because the work ran out.
    """
    found = turns(timeline)
    if drop_last and len(found) > 1:
        found = found[:-1]
    return statistics.median(t.duration_ms for t in found) if found else 0.0


def unfair_handoffs(timeline: Timeline) -> tuple[int, int]:
    """Count hand-offs that skipped the thread which had waited longest for a turn.

    Round-robin would always hand the GIL to the lane whose last turn ended longest ago (or
    that has not run yet). A lane counts as waiting until its last turn has started.

    Returns:
        ``(skipping hand-offs, all hand-offs)``.
    """
    found = turns(timeline)
    last_turn = {t.lane: i for i, t in enumerate(found)}  # a lane is done after this turn
    ended: dict[str, int] = {t.lane: -1 for t in found}  # -1: not run yet
    skipped = 0
    for i, (current, following) in enumerate(zip(found, found[1:])):
        ended[current.lane] = current.end_ns
        waiting = [lane for lane, last in last_turn.items() if last > i and lane != current.lane]
        if waiting and following.lane != min(waiting, key=lambda lane: ended[lane]):
            skipped += 1
    return skipped, max(0, len(found) - 1)


@dataclass(frozen=True)
class SweepRow:
    """One switch interval and the turns measured with it."""

    interval_ms: float
    median_turn_ms: float
    turns: int
    result: object  # the experiments.Result, for drawing its chart


def switch_sweep(intervals_ms: Iterable[float], workers: int = 2,
                 turns_wanted: int = 8) -> list[SweepRow]:
    """Run CPU-bound threads under each switch interval and measure their turns.

    The old switch interval is restored after each run (course.run does it in a finally).

    Args:
        intervals_ms: switch intervals to try, in milliseconds (each > 0).
        workers: threads competing for the GIL (>= 2).
        turns_wanted: about how many turns each run should hold (sizes the work).

    Returns:
        One SweepRow per interval, in the order given.

    Raises:
        ValueError: an interval is not > 0 or workers < 2.
    """
    from .experiments import run

    if workers < 2:
        raise ValueError(f"workers must be >= 2 to take turns (got {workers})")
    rows = []
    for interval in intervals_ms:
        if not interval > 0:
            raise ValueError(f"switch intervals must be > 0 ms (got {interval})")
        size = max(20.0, interval * turns_wanted / workers)
        result = run("cpu", workers, "threads", size_ms=size, switch_interval=interval / 1000)
        rows.append(SweepRow(interval, median_turn_ms(result.timeline),
                             len(turns(result.timeline)), result))
    return rows


def plot_switch_sweep(rows: Sequence[SweepRow], ax=None, highlight: float | None = None):
    """Plot median turn length against the switch interval, with the line turn = interval.

    Returns:
        The matplotlib Figure.
    """
    from matplotlib.figure import Figure

    if not rows:
        raise ValueError("rows must not be empty: run switch_sweep first")
    if ax is None:
        ax = Figure(figsize=(6.5, 3.6), layout="constrained").subplots()
    xs = [r.interval_ms for r in rows]
    ys = [r.median_turn_ms for r in rows]
    ax.plot([min(xs), max(xs)], [min(xs), max(xs)], ls=":", c="0.5", label="turn = interval")
    ax.plot(xs, ys, "o-", c="C0", label="median turn, measured")
    if highlight is not None:
        ax.axvline(highlight, c="C3", lw=1, label=f"interval now: {highlight:g} ms")
    ax.set(xscale="log", yscale="log", xlabel="sys.setswitchinterval (ms)",
           ylabel="median turn (ms)")
    ratio = statistics.median(y / x for x, y in zip(xs, ys))
    ax.set_title(f"Turns follow the switch interval: median turn / interval = {ratio:.2f}")
    ax.legend(fontsize=8)
    return ax.figure


def busy_caveat(report=None) -> str:
    """A sentence warning that a busy machine distorts the numbers, or "" when it is quiet.

    Args:
        report: a doctor.Report (default: a fresh one).
    """
    from .doctor import report as doctor_report

    report = doctor_report() if report is None else report
    if not report.busy:
        return ""
    return (f" *The machine is busy (load average {report.load:.2f} on {report.cores} usable "
            f"cores, about {report.free_cores:.1f} free): threads and processes also wait for a "
            "CPU, so these numbers understate what a quiet machine shows. Rerun the cell when it "
            "is quieter.*")


def describe_turns(result, report=None) -> str:
    """Say, with the run's numbers, how CPU-bound threads shared (or did not share) the GIL.

    Args:
        result: an experiments.Result of a threads run.
        report: a doctor.Report taken around the run (default: a fresh one).

    Returns:
        A paragraph of Markdown that adapts to the build (turns under a GIL, overlap
        without) and to the numbers (hand-offs near the switch interval or not, load).
    """
    m, timeline = result.metrics, result.timeline
    interval_ms = result.switch_interval * 1000
    numbers = (f"at most **{m.max_running}** lane(s) running at once, two or more "
               f"{m.share_2_running:.1%} of the time, CPU/wall **{m.cpu_over_wall:.2f}**")
    if not gil_enabled():
        return (f"This interpreter runs **without a GIL**, so the {m.lanes} threads did not "
                f"have to take turns: {numbers}, on {m.cores} usable core(s)."
                + busy_caveat(report))
    turn = median_turn_ms(timeline)
    pace = ("about one switch interval" if 0.5 <= turn / interval_ms <= 1.5
            else f"{turn / interval_ms:.1f} switch intervals")
    ceiling = ("never rose above 1" if m.max_running <= 1 else
               f"rose above 1 for only {m.share_2_running:.1%} of the run")
    return (f"The {m.lanes} threads handed the GIL over **{len(turns(timeline)) - 1}** times "
            f"in {m.wall_s * 1000:.0f} ms: a median turn of **{turn:.2f} ms**, {pace} "
            f"({interval_ms:g} ms). The lanes-running profile {ceiling} ({numbers}): "
            f"{m.cores} usable cores, at most one core's worth of work. {_fairness(timeline)}"
            + (busy_caveat(report) if m.cpu_over_wall < 0.9 or "about" not in pace else ""))


def _fairness(timeline: Timeline) -> str:
    skipped, total = unfair_handoffs(timeline)
    if not total:
        return ""
    if skipped:
        return (f"Hand-offs are not round-robin: {skipped} of {total} went to a thread other "
                "than the one that had waited longest.")
    return f"Here all {total} hand-offs went to the thread that had waited longest."


def describe_sweep(rows: Sequence[SweepRow], report=None) -> str:
    """Say how closely the measured turns followed the switch interval.

    Returns:
        A Markdown sentence or two with the sweep's numbers.
    """
    close = [r for r in rows if 0.5 <= r.median_turn_ms / r.interval_ms <= 1.5]
    lo, hi = rows[0], rows[-1]
    text = (f"At {lo.interval_ms:g} ms the median turn was {lo.median_turn_ms:.2f} ms; at "
            f"{hi.interval_ms:g} ms it was {hi.median_turn_ms:.2f} ms. The median turn stayed "
            f"within 50% of the interval in **{len(close)} of {len(rows)}** runs")
    if not gil_enabled():
        return text + ": without a GIL nothing hands turns over, so they need not follow it."
    if len(close) >= len(rows) - 1:
        return text + ": the switch interval sets the turns."
    return (text + ". Where a turn strayed from the interval, something other than the GIL "
            "was handing out the CPU." + busy_caveat(report))


def describe_c_code(shares: dict[str, float], report=None) -> str:
    """Compare how much of the time two threads ran together, per kind of C work.

    Args:
        shares: label -> share of the run with >= 2 threads running; the label containing
            "1 KiB" is the run that holds the GIL.

    Returns:
        A Markdown paragraph with every share and what they show.
    """
    listed = ", ".join(f"{label} **{share:.0%}**" for label, share in shares.items())
    holding = {k: v for k, v in shares.items() if "1 KiB" in k}
    releasing = {k: v for k, v in shares.items() if k not in holding}
    text = f"Share of the run with both threads running: {listed}."
    if not gil_enabled():
        return text + (" Without a GIL, even the 1 KiB pieces need not take turns."
                       + busy_caveat(report))
    if holding and releasing and min(releasing.values()) >= 0.5 > max(holding.values()):
        return text + (" Every run whose C code releases the GIL overlapped for most of the "
                       "run; hashing in 1 KiB pieces did not.")
    return text + (" Not every GIL-releasing run overlapped here." + busy_caveat(report)
                   if releasing and min(releasing.values()) < 0.5 else "")


def plot_side_by_side(runs: Sequence[tuple[str, object]], figsize=None):
    """Draw several runs' lanes one above the other on a shared time axis.

    Args:
        runs: ``(title, Result or Timeline)`` pairs; a None timeline is skipped.
        figsize: (width, height) in inches (default: sized to the runs).

    Returns:
        The matplotlib Figure; each panel's title states its finding with numbers.

    Raises:
        ValueError: no runs to draw.
    """
    from matplotlib.figure import Figure

    from .gantt import plot_gantt

    runs = [(title, run) for title, run in runs if run is not None]
    if not runs:
        raise ValueError("runs must hold at least one (title, result) pair")
    lanes = sum(len(getattr(run, "timeline", run).lanes) for _, run in runs)
    fig = Figure(figsize=figsize or (10.0, 1.0 + 0.9 * len(runs) + 0.3 * lanes),
                 layout="constrained")
    axes = fig.subplots(len(runs), 1, sharex=True, squeeze=False)[:, 0]
    for ax, (title, run) in zip(axes, runs):
        plot_gantt(run, title=title, ax=ax)
    for ax in axes[:-1]:
        ax.set_xlabel("")
    return fig


def build_markdown(threads_result=None) -> str:
    """Describe the running build as a Markdown table, with this run's CPU threads if given.

    Args:
        threads_result: an experiments.Result of CPU-bound threads measured in this kernel.
    """
    probe = getattr(sys, "_is_gil_enabled", None)
    rows = [("Interpreter", build_label()),
            ("Built without the GIL (`Py_GIL_DISABLED`)", "yes" if free_threaded_build() else "no"),
            ("`sys._is_gil_enabled()`", "not present (before 3.13: always a GIL)"
             if probe is None else f"`{probe()}`"),
            ("GIL right now", "enabled" if gil_enabled() else "disabled")]
    if threads_result is not None:
        m = threads_result.metrics
        rows.append((f"{m.lanes} CPU-bound threads, measured above",
                     f"at most {m.max_running} running at once, CPU/wall {m.cpu_over_wall:.2f}"))
    return "\n".join(["| | this kernel |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows])


def switch_explorer(workers: int = 2, turns_wanted: int = 10):
    """A switch-interval slider: rerun CPU-bound threads and redraw their Gantt chart.

    Each run sets the interval and restores the old one afterwards (course.run does it in a
    finally), so moving the slider never leaves the kernel with another interval.

    Returns:
        A course.widgets SliderChart.
    """
    import ipywidgets as widgets

    from .experiments import run
    from .widgets import SWITCH_INTERVALS_MS, interactive_chart

    now = sys.getswitchinterval() * 1000
    slider = widgets.SelectionSlider(
        options=SWITCH_INTERVALS_MS, description="switch interval (ms)",
        value=min(SWITCH_INTERVALS_MS, key=lambda ms: abs(ms - now)))

    def run_fn(interval_ms: float):
        size = max(20.0, interval_ms * turns_wanted / workers)
        result = run("cpu", workers, "threads", size_ms=size, switch_interval=interval_ms / 1000)
        text = (f"switch interval {interval_ms:g} ms: median turn "
                f"{median_turn_ms(result.timeline):.2f} ms over {len(turns(result.timeline))} "
                f"turns; the interval is back to {sys.getswitchinterval() * 1000:g} ms")
        return result.plot(), text

    return interactive_chart(run_fn, interval_ms=slider)


def running_intervals(timeline: Timeline) -> dict[str, list[tuple[float, float]]]:
    """Return ``{lane: [(start_s, end_s), ...]}`` of running segments, seconds from the start."""
    lanes: dict[str, list[tuple[float, float]]] = {name: [] for name in timeline.lane_names}
    for seg in timeline.segments():
        if seg.kind == RUNNING:
            lanes[seg.lane].append(((seg.start_ns - timeline.start_ns) / 1e9,
                                    (seg.end_ns - timeline.start_ns) / 1e9))
    return lanes


# --- other C code that releases the GIL ---------------------------------------------------
_ZLIB_INPUT = bytes(range(256)) * 32  # 8 KiB: zlib releases the GIL while it compresses


def _c_work(kind: str):
    """Return a function doing one 40-200 us piece of *kind* work, or None if unavailable."""
    if kind == "zlib":
        import zlib
        return lambda: zlib.compress(_ZLIB_INPUT, 6)
    if kind == "numpy":
        try:
            import numpy as np
        except ImportError:
            return None
        data, out = np.linspace(0.0, 1.0, 20_000), np.empty(20_000)
        return lambda: np.sin(data, out=out)  # ufunc loops on floats run without the GIL
    raise ValueError(f"kind must be zlib or numpy (got {kind!r})")


def run_c_threads(kind: str, workers: int = 2, size_ms: float = 100.0,
                  timeout: float = 30.0) -> Timeline | None:
    """Run *workers* threads of zlib or numpy work and record their timeline.

    Args:
        kind: "zlib" (compress 8 KiB) or "numpy" (sine of 20,000 floats) per chunk.
        workers: threads, each doing about *size_ms* of work.
        size_ms: milliseconds of work per thread.
        timeout: seconds to wait for the threads.

    Returns:
        The Timeline, or None when numpy is not installed.

    Raises:
        ValueError: unknown kind, workers < 1 or size_ms not > 0.
        TimeoutError: the threads did not finish within *timeout* seconds.
    """
    piece = _c_work(kind)
    if workers < 1 or not size_ms > 0:
        raise ValueError(f"workers must be >= 1 and size_ms > 0 (got {workers}, {size_ms})")
    if piece is None:
        return None
    start = time.perf_counter_ns()
    for _ in range(5):
        piece()
    chunks = max(1, round(size_ms * 1e6 * 5 / (time.perf_counter_ns() - start)))
    return _threads_timeline(piece, chunks, workers, timeout, f"{workers} x {kind} (threads)")


def _threads_timeline(piece, chunks: int, workers: int, timeout: float, label: str) -> Timeline:
    """Run *chunks* calls of *piece* in each of *workers* threads, one span per call."""
    recorder = Recorder()
    barrier = threading.Barrier(workers)

    def work() -> None:
        lane = recorder.lane()
        barrier.wait(timeout)  # everyone competes from the first chunk on
        append, clock = lane.spans.append, time.perf_counter_ns
        for _ in range(chunks):
            begin = clock()
            piece()
            append((begin, clock(), WORK))
        lane.close()

    threads = [threading.Thread(target=work, name=f"thread {i + 1}", daemon=True)
               for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError(f"{label} did not finish within {timeout:g} s")
    return recorder.timeline(label=label)


# --- choosing threads, processes or neither ------------------------------------------------
def compare_backends(workload: str, workers: int = 4, size_ms: float | None = None,
                     backends: Sequence[str] = ("sequential", "threads", "processes")) -> dict:
    """Run the same tasks on each backend; returns ``{backend: Result}``."""
    from .experiments import run

    return {backend: run(workload, workers, backend, size_ms=size_ms) for backend in backends}


@dataclass(frozen=True)
class ChoiceRow:
    """What one workload measured on threads and processes, and the choice it suggests."""

    workload: str
    workers: int
    threads_speedup: float
    processes_speedup: float
    threads_max_running: int
    processes_max_running: int
    choice: str


# A backend must beat doing the tasks in turn by this much to be worth it.
WORTH_IT = 1.2
# Prefer threads when they come this close to processes: no start-up, shared memory.
THREADS_CLOSE_ENOUGH = 0.9


def _choose(threads: float, processes: float) -> str:
    if max(threads, processes) < WORTH_IT:
        return "neither"
    if threads >= THREADS_CLOSE_ENOUGH * processes:
        return "threads"
    return "processes"


def choice_rows(runs: dict[str, dict]) -> list[ChoiceRow]:
    """Turn ``{workload: {backend: Result}}`` (from compare_backends) into choice rows.

    Raises:
        ValueError: a workload lacks one of the sequential, threads or processes runs.
    """
    rows = []
    for workload, by_backend in runs.items():
        missing = {"sequential", "threads", "processes"} - set(by_backend)
        if missing:
            raise ValueError(f"workload {workload!r} lacks runs for {', '.join(sorted(missing))}")
        base = by_backend["sequential"]
        thr, proc = by_backend["threads"], by_backend["processes"]
        s_thr, s_proc = thr.speedup_over(base), proc.speedup_over(base)
        rows.append(ChoiceRow(workload, thr.workers, s_thr, s_proc, thr.metrics.max_running,
                              proc.metrics.max_running, _choose(s_thr, s_proc)))
    return rows


_WHAT = {"cpu": "pure-Python arithmetic", "io": "sleeps (stands in for I/O)",
         "hash": "sha256, 64 KiB updates", "hash-small": "sha256, 1 KiB updates"}


def choice_markdown(rows: Sequence[ChoiceRow]) -> str:
    """Render choice rows as a Markdown table, one line per workload."""
    lines = ["| workload | work | threads: speedup (most running) | "
             "processes: speedup (most running) | choose |",
             "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| `{r.workload}` x {r.workers} | {_WHAT.get(r.workload, r.workload)} | "
                     f"{r.threads_speedup:.2f}x ({r.threads_max_running}) | "
                     f"{r.processes_speedup:.2f}x ({r.processes_max_running}) | **{r.choice}** |")
    return "\n".join(lines)


def describe_choices(rows: Sequence[ChoiceRow], report=None) -> str:
    """Sum up the choice table in a sentence, with what the hashing rows showed."""
    picked = {row.workload: row.choice for row in rows}
    text = "Measured here: " + "; ".join(
        f"{_WHAT.get(w, w)} -> **{c}**" for w, c in picked.items()) + "."
    if picked.get("hash") == "threads" and picked.get("hash-small", "threads") != "threads":
        text += (" The two hashing rows are the same work on the same bytes: only the size of "
                 "the pieces decided whether threads helped.")
    elif "hash" in picked and "hash-small" in picked:
        text += " This time the hashing rows did not split between threads and the rest."
        text += busy_caveat(report)
    return text


# --- is the machine busy? ------------------------------------------------------------------
def explain_processes(result, report=None) -> str:
    """Say how far a processes run ran side by side, and why not further.

    On a busy machine processes show about one lane running: this says so, comparing the
    load average with the usable cores, instead of leaving a misleading chart unexplained.

    Args:
        result: an experiments.Result of a processes run.
        report: a doctor.Report taken around the run (default: a fresh one).

    Returns:
        Two or three sentences of Markdown, with the numbers.
    """
    from .doctor import report as doctor_report

    report = doctor_report() if report is None else report
    m = result.metrics
    possible = min(m.lanes, report.cores)
    text = (f"{m.lanes} processes on {report.cores} usable core(s): at most {m.max_running} "
            f"ran at once (possible: {possible}), two or more {m.share_2_running:.0%} of the "
            "time.")
    if possible < 2:
        return text + " With one usable core, processes can only take turns."
    if report.load is None:
        return text + " This system reports no load average to compare with."
    load = (f" Load average {report.load:.2f} on {report.cores} cores, about "
            f"{report.free_cores:.1f} free")
    if report.busy and m.share_2_running < 0.5:
        return text + load + (": **the machine is busy**, so the processes could not each get "
                              "a core. That is the machine, not multiprocessing: rerun this "
                              "cell when it is quieter.")
    if m.share_2_running < 0.5:
        return text + load + ": the machine looked quiet, so look for the gap in start-up."
    return text + load + "."


# --- hashing in threads (exercise support) -------------------------------------------------
def sha256_hex(blob: bytes) -> str:
    """Return the SHA-256 hex digest of *blob*; hashlib releases the GIL for >= 2048 bytes.

    Raises:
        TypeError: blob is not bytes-like.
    """
    if not isinstance(blob, (bytes, bytearray, memoryview)):
        raise TypeError(f"blob must be bytes (got {type(blob).__name__})")
    return hashlib.sha256(blob).hexdigest()


def make_blobs(count: int, size: int = 256 * 1024, seed: int = 0) -> list[bytes]:
    """Return *count* distinct byte blobs of *size* bytes, the same for the same seed.

    Raises:
        ValueError: count < 0 or size < 8.
    """
    if count < 0:
        raise ValueError(f"count must be >= 0 (got {count})")
    if size < 8:
        raise ValueError(f"size must be >= 8 bytes (got {size})")
    return [(seed * 1_000_003 + i).to_bytes(8, "big") * (size // 8) for i in range(count)]


class HashTracker:
    """A stand-in for :func:`sha256_hex` that records which thread hashed what, and when.

    With two or more blobs, two holds make the record independent of how threads happen to be
    scheduled:

    - the call for the first blob holds on until every other call has finished, then a little
      longer, so with two or more threads the first blob finishes *last*, every time, and a
      function returning results in completion order gets them out of order;
    - every other call holds on until the first blob's call has begun, so a thread that grabs
      the later blobs cannot finish them all before the first one starts (free-threaded builds
      do this often). With two or more threads, two calls are therefore always seen at once.

    With one thread a hold waits in vain, which is recorded. All holds share one deadline,
    *hold_s* seconds after the first call, so a sequential function loses at most that long.
    """

    def __init__(self, blobs: Sequence[bytes], hold_s: float = 3.0, settle_s: float = 0.3) -> None:
        self._index = {bytes(b): i for i, b in enumerate(blobs)}
        self._hold = len(blobs) >= 2
        self.hold_s = hold_s
        self.settle_s = settle_s
        self._cond = threading.Condition()  # protects every attribute below
        self._deadline: float | None = None
        self.calls: list[tuple[int, int]] = []  # (blob index, thread ident), in start order
        self.finished: list[int] = []  # blob indexes in completion order
        self.in_flight = 0
        self.max_in_flight = 0
        self.held_in_vain = False

    def __call__(self, blob: bytes) -> str:
        index = self._index.get(bytes(blob), -1)
        with self._cond:
            if self._deadline is None:
                self._deadline = time.monotonic() + self.hold_s
            self.calls.append((index, threading.get_ident()))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self._cond.notify_all()
            if self._hold:
                if index == 0:
                    others = len(self._index) - 1
                    self._hold_until(lambda: len(self.finished) >= others)
                else:
                    self._hold_until(lambda: any(i == 0 for i, _ in self.calls))
            settle = index == 0 and self._hold and not self.held_in_vain
        if settle:
            # as_completed yields futures that are already done in no particular order (often
            # input order), so finish clearly after the caller has started waiting.
            time.sleep(self.settle_s)
        try:
            return sha256_hex(blob)
        finally:
            with self._cond:
                self.in_flight -= 1
                self.finished.append(index)
                self._cond.notify_all()

    def _hold_until(self, condition) -> None:
        """Wait (holding ``_cond``) for *condition* until the shared deadline; note a vain wait."""
        if not self._cond.wait_for(condition, timeout=max(0.0, self._deadline - time.monotonic())):
            self.held_in_vain = True

    @property
    def threads(self) -> int:
        """How many distinct threads made calls."""
        with self._cond:
            return len({ident for _, ident in self.calls})


# --- GIL vs free-threaded, side by side ------------------------------------------------------
@dataclass
class BuildRuns:
    """CPU-bound thread runs on one Python build: this kernel's, or another in a subprocess.

    Attributes:
        interpreter: the ``course.interpreters.Interpreter`` they ran on.
        here: True for the Python running this kernel.
        runs: ``{threads: experiments.Result}``.
        spin_s: seconds one thread took for a fixed loop (``time_builds`` fills it in).
        problem: why this build could not run (then ``runs`` is empty), else "".
    """

    interpreter: object
    here: bool
    runs: dict = field(default_factory=dict)
    spin_s: float | None = None
    problem: str = ""

    @property
    def label(self) -> str:
        """The build in a few words, e.g. "CPython 3.11.7 with the GIL, this kernel"."""
        return self.interpreter.label + (", this kernel" if self.here else "")

    @property
    def gil(self) -> bool:
        """True when this build ran with the GIL."""
        return self.interpreter.gil_enabled


SPIN_ITERATIONS = 1_000_000  # the fixed loop timed on one thread: tens of ms on either build
SPIN_REPEATS = 5  # best of 5: a busy machine slows some runs, rarely all of them


def counterpart_markdown(other) -> str:
    """Say which other Python the comparison uses, or how to get one when there is none.

    Args:
        other: the Interpreter from ``interpreters.find_counterpart()``, or None.

    Returns:
        A Markdown paragraph (with a list of ways to get a free-threaded Python when needed).
    """
    from . import interpreters

    here = interpreters.current_interpreter()
    if other is not None:
        return (f"This kernel runs **{here.label}**. The other build found here is "
                f"**{other.label}** (`{other.path}`, {other.found_by}): the cells below run "
                "the same experiments on it, in a subprocess, next to this kernel's.")
    unusable = interpreters.find_counterpart(require_course=False)
    if unusable is not None:
        return (f"This kernel runs **{here.label}**. **{unusable.label}** exists at "
                f"`{unusable.path}` but cannot import the course ({unusable.course_error}): "
                f"{interpreters.INSTALL_HINT}. Until then the cells below show this kernel alone.")
    if not here.gil_enabled:
        return (f"This kernel runs **{here.label}**, and no Python with the GIL was found, so "
                "the cells below show this kernel alone. Point the variable "
                f"`{interpreters.ENV_GIL}` at one (any CPython 3.10 or newer, e.g. the course's "
                "own `.venv/bin/python`) and rerun them.")
    return (f"This kernel runs **{here.label}**, and no free-threaded Python was found on this "
            "machine, so the cells below show this kernel alone. To get one:\n\n"
            "- in the course folder, `make freethreaded` builds CPython 3.13 without the GIL "
            "(about 4 minutes, once) and adds it to JupyterLab as a kernel;\n"
            "- or install one: the python.org installers (tick the free-threaded option, "
            "`python3.13t`), conda-forge's `python-freethreading`, or `uv python install "
            "3.13t`; then register it as `docs/free-threaded.md` shows, or point "
            f"`{interpreters.ENV_FREETHREADED}` at it.\n\n"
            "Then rerun these cells, or run the whole lesson on it: in JupyterLab choose "
            "*Kernel > Change Kernel... > Python 3.13 (free-threaded)*, then *Kernel > Restart "
            "Kernel and Run All Cells*.")


def compare_builds(other, workers: Sequence[int] = (1, 2, 4), size_ms: float = 60.0,
                   timeout: float = 20.0) -> list[BuildRuns]:
    """Run the same CPU-bound threads here and on *other*, once per thread count.

    Args:
        other: an Interpreter with the other GIL state (``interpreters.find_counterpart()``),
            or None to run here only.
        workers: thread counts to run, e.g. (1, 2, 4).
        size_ms: milliseconds of pure-Python work per thread, calibrated on each build.
        timeout: seconds all runs on *other* may take together, start-ups included (a
            lesson cell must end well within nbgrader's 30 s per cell).

    Returns:
        One BuildRuns per build, the one with the GIL first. A build that failed to run
        keeps the reason in ``problem`` and no runs.

    Raises:
        ValueError: workers is empty or holds a count below 1, or size_ms is not > 0.
    """
    from .experiments import run
    from .interpreters import current_interpreter, run_elsewhere

    counts = _thread_counts(workers)
    builds = [BuildRuns(current_interpreter(), True,
                        {n: run("cpu", n, "threads", size_ms=size_ms) for n in counts})]
    if other is not None:
        there, deadline = BuildRuns(other, False), time.monotonic() + timeout
        try:
            for n in counts:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"the runs on {other.path} took over {timeout:g} s")
                there.runs[n] = run_elsewhere(other, "cpu", n, size_ms=size_ms, timeout=left)
        except (RuntimeError, TimeoutError) as error:  # a broken install, a stuck machine
            there.problem, there.runs = str(error), {}
        builds.append(there)
    return sorted(builds, key=lambda build: not build.gil)


def _thread_counts(workers) -> list[int]:
    counts = list(workers) if isinstance(workers, (list, tuple, range)) else None
    if not counts or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1
                             for n in counts):
        raise ValueError(f"workers must be a non-empty sequence of thread counts >= 1 "
                         f"(got {workers!r})")
    return sorted(set(counts))


def time_builds(builds: Sequence[BuildRuns], iterations: int = SPIN_ITERATIONS,
                repeats: int = SPIN_REPEATS, timeout: float = 10.0) -> None:
    """Time the same fixed loop on one thread of each build (``interpreters.time_cpu_work``).

    Sets each build's ``spin_s``; a build that cannot run keeps None and notes why. Each
    build gets *timeout* seconds, its interpreter's start-up included.
    """
    from .interpreters import time_cpu_work

    for build in builds:
        if build.problem:
            continue
        try:
            build.spin_s = time_cpu_work(build.interpreter, iterations, repeats,
                                         timeout=timeout)
        except (RuntimeError, TimeoutError) as error:
            build.problem = str(error)


def builds_markdown(builds: Sequence[BuildRuns]) -> str:
    """Tabulate every run of every build: threads, wall time, CPU/wall, share with >=2 running."""
    lines = ["| build | threads | wall | CPU/wall | >=2 threads running |", "|---|---|---|---|---|"]
    for build in builds:
        for n, result in sorted(build.runs.items()):
            m = result.metrics
            lines.append(f"| {build.label} | {n} | {m.wall_s * 1000:.0f} ms | "
                         f"{m.cpu_over_wall:.2f} | {m.share_2_running:.0%} |")
        if build.problem:
            lines.append(f"| {build.label} | - | could not run: {build.problem} | | |")
    return "\n".join(lines)


def plot_builds(builds: Sequence[BuildRuns], workers: int | None = None):
    """Draw one run per build side by side, the GIL build on the left, on one time axis.

    Each column is :func:`course.gantt.plot_gantt`'s lanes (titled with the build and what
    its threads did) above the number of threads running, with a dashed line at the cores.

    Args:
        builds: from :func:`compare_builds`.
        workers: which run to draw (default: the most threads run).

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: no build has a run of that many threads.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from .gantt import COLOURS, LEGEND, plot_gantt

    ran = [build for build in builds if build.runs]
    n = workers if workers is not None else max((max(b.runs) for b in ran), default=0)
    shown = [build for build in ran if n in build.runs]
    if not shown:
        raise ValueError(f"no build ran {n} threads: run compare_builds with {n} in workers")
    rows = max(len(build.runs[n].timeline.lanes) for build in shown)
    fig = Figure(figsize=(5.6 * len(shown), 2.6 + 0.3 * rows), layout="constrained")
    axes = fig.subplots(2, len(shown), sharex="col", squeeze=False,
                        height_ratios=[max(2.0, 0.3 * rows), 1.1])
    walls = [build.runs[n].timeline.wall_ns for build in shown]
    for col, build in enumerate(shown):
        result = build.runs[n]
        plot_gantt(result, ax=axes[0, col])
        # Our own finding: lanes from another Python carry its pid, not threads of this one.
        axes[0, col].set_title(f"{build.label}\n{_threads_finding(result)}", loc="left",
                               fontsize="medium")
        axes[0, col].set_xlabel("")
        _plot_running(axes[1, col], result.timeline, max(walls))
    fig.suptitle(_builds_title(shown, n), x=0.01, ha="left", fontsize="large")
    fig.legend(handles=[Patch(color=COLOURS[k], label=LEGEND[k]) for k in (RUNNING, READY)],
               loc="outside lower left", ncol=2, frameon=False)
    return fig


def _threads_finding(result) -> str:
    m = result.metrics
    return (f"{m.lanes} threads: >=2 running {m.share_2_running:.0%} of the time, "
            f"CPU/wall {m.cpu_over_wall:.2f}")


def _builds_title(shown: Sequence[BuildRuns], n: int) -> str:
    cpu = {build.gil: build.runs[n].metrics.cpu_over_wall for build in shown}
    if len(cpu) == 2:
        return (f"The same {n} CPU-bound threads: CPU/wall {cpu[True]:.2f} with the GIL vs "
                f"{cpu[False]:.2f} free-threaded")
    return f"{n} CPU-bound threads on {shown[0].label}: CPU/wall {next(iter(cpu.values())):.2f}"


def _plot_running(ax, timeline: Timeline, longest_ns: int) -> None:
    """Threads running at once over the run, against a dashed line at the cores."""
    scale, unit = (1e6, "ms") if longest_ns < 2e9 else (1e9, "s")  # plot_gantt's rule
    steps = timeline.profile(RUNNING)
    xs = [0.0] + [(t - timeline.start_ns) / scale for t, _ in steps] + [timeline.wall_ns / scale]
    ys = [0] + [count for _, count in steps] + [steps[-1][1] if steps else 0]
    ax.fill_between(xs, ys, step="post", color="#0072B2", alpha=0.85, linewidth=0)
    ax.axhline(timeline.cores, color="black", linestyle="--", linewidth=1.2,
               label=f"{timeline.cores} cores")
    ax.set(xlim=(0, longest_ns / scale), ylim=(0, max(ys + [timeline.cores]) + 0.6),
           xlabel=f"time since start ({unit})", ylabel="running")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper right", fontsize="small")


def describe_builds(builds: Sequence[BuildRuns], report=None) -> str:
    """Compare the builds in words, with this run's numbers: parallelism, then the cost of it.

    Args:
        builds: from :func:`compare_builds`, timed with :func:`time_builds`.
        report: a doctor.Report taken around the runs (default: a fresh one).

    Returns:
        A Markdown paragraph: CPU/wall and the share with >=2 threads running on each build,
        the single-thread overhead of the free-threaded build, and what it means for the same
        amount of work. With one build only, its own numbers.
    """
    ran = {build.gil: build for build in builds if build.runs}
    if len(ran) < 2:
        return _one_build(builds, report)
    with_gil, without = ran[True], ran[False]
    n = max(set(with_gil.runs) & set(without.runs))
    g, f = with_gil.runs[n].metrics, without.runs[n].metrics
    text = (f"With {n} threads on {g.cores} usable core(s), CPU/wall was **{g.cpu_over_wall:.2f}**"
            f" with the GIL (two or more running {g.share_2_running:.0%} of the time) and "
            f"**{f.cpu_over_wall:.2f}** free-threaded ({f.share_2_running:.0%}).")
    if with_gil.spin_s and without.spin_s:
        text += " " + _overhead(with_gil, without, g.wall_s, f.wall_s, n)
    if min(g.cores, n) < 2:
        text += " With one usable core, even threads without a GIL can only take turns."
    elif f.share_2_running < 0.5:
        text += busy_caveat(report)
    return text


def _overhead(with_gil: BuildRuns, without: BuildRuns, g_wall: float, f_wall: float,
              n: int) -> str:
    ratio = without.spin_s / with_gil.spin_s
    text = (f"One thread of fixed work ({SPIN_ITERATIONS:,} loop iterations, best of "
            f"{SPIN_REPEATS}) took {with_gil.spin_s * 1000:.0f} ms with the GIL and "
            f"{without.spin_s * 1000:.0f} ms free-threaded: ")
    text += (f"a single-thread overhead of **{ratio - 1:.0%}** ({ratio:.2f}x the time)."
             if ratio >= 1 else f"**no single-thread overhead** here ({ratio:.2f}x the time).")
    # Each build's threads did size_ms of work at its own speed: scale to the same work.
    same_work = f_wall * ratio
    verdict = "faster" if same_work < g_wall else "slower"
    return text + (f" The threads above did the same *milliseconds* of work on each build, so "
                   f"for the same *work* the free-threaded {n} threads would need about "
                   f"{same_work * 1000:.0f} ms against {g_wall * 1000:.0f} ms with the GIL: "
                   f"**{max(g_wall, same_work) / min(g_wall, same_work):.2f}x {verdict}**, "
                   "overhead included.")


def _one_build(builds: Sequence[BuildRuns], report) -> str:
    build = next((b for b in builds if b.runs), None)
    if build is None:
        return "No build could run: " + "; ".join(b.problem for b in builds if b.problem)
    cpu = ", ".join(f"{r.metrics.cpu_over_wall:.2f} with {n} thread(s)"
                    for n, r in sorted(build.runs.items()))
    text = f"Only **{build.label}** ran here: CPU/wall {cpu}."
    if build.spin_s:
        text += (f" One thread of fixed work ({SPIN_ITERATIONS:,} loop iterations) took "
                 f"{build.spin_s * 1000:.0f} ms; the other build's time is what would show "
                 "its single-thread overhead.")
    problems = [f"{b.label} could not run: {b.problem}" for b in builds if b.problem]
    return text + "".join(f" {p}." for p in problems)
