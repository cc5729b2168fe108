"""Lesson 2's prose, written from the numbers measured in the run: each function returns
Markdown that adapts to the build (GIL or not), the cores, the start method and the load.

The notebook shows them with ``display(Markdown(...))`` from cells whose source is hidden: the
reader sees the sentences, and the code that computes them stays one click away.
"""

from __future__ import annotations

import statistics
from typing import Mapping, Sequence

from .measure import Speedup, SweepRow, median_turn_ms, unfair_handoffs

__all__ = ["busy_caveat", "build_text", "threads_text", "processes_text",
           "explain_processes", "turns_text",
           "sweep_text", "repeats_text", "io_text", "hashing_text", "amdahl_text",
           "counterpart_text", "builds_table", "builds_text", "choice_text"]

# A backend must beat doing the tasks in turn by this much to be worth it.
WORTH_IT = 1.2
# Prefer threads when they come this close to processes: nothing to start, memory shared.
THREADS_CLOSE_ENOUGH = 0.9
# Lanes that run "together" for at least this share of a run ran in parallel.
TOGETHER = 0.5


def _report(report):
    from ...doctor import report as doctor_report
    return doctor_report() if report is None else report


def busy_caveat(report=None) -> str:
    """A sentence warning that a busy machine distorts the numbers, or "" when it is quiet."""
    report = _report(report)
    if not report.busy:
        return ""
    return (f" *The machine is busy (load average {report.load:.2f} on {report.cores} usable "
            f"cores, about {report.free_cores:.1f} free): threads and processes also wait for a "
            "CPU, so these numbers understate what a quiet machine shows. Rerun the cell when it "
            "is quieter.*")


# --- which Python is this? -------------------------------------------------------------------
def build_text(report=None) -> str:
    """Say which build of Python this kernel runs, whether its GIL is on, and what that means."""
    report = _report(report)
    version = report.python_version
    minor = tuple(int(part) for part in version.split(".")[:2])
    name = f"{report.implementation} {version}"
    interval = f"{report.switch_interval * 1000:g} ms"
    if not report.free_threaded_build:
        return (f"This kernel runs **{name}, a standard build: it has a GIL**. Only one of its "
                "threads runs Python code at any moment, and a thread waiting for the GIL asks "
                f"the holder to let go after the switch interval, **{interval}** here.")
    if report.gil_enabled:
        return (f"This kernel runs **{name}, a free-threaded build with the GIL switched back "
                "on** (by `PYTHON_GIL=1`, or by an extension module not ready for free "
                f"threading): its threads take turns as on a standard build, every {interval} "
                "at most.")
    status = ("Free threading is *experimental* in 3.13: single-threaded code runs noticeably "
              "slower than on the standard build." if minor < (3, 14) else
              "Free threading is *supported* from 3.14 on, with a much smaller single-thread "
              "cost than 3.13's.")
    return (f"This kernel runs **{name}, a free-threaded build, without a GIL**: its threads "
            f"can run Python code at the same time, one per core. {status} Where the text "
            "below describes the GIL, this kernel shows what happens without one.")


# --- CPU-bound work timed by hand ------------------------------------------------------------
def threads_text(one_wall: float, wall: float, cpu: float, workers: int, report=None) -> str:
    """Interpret CPU-bound threads timed by hand against one thread doing one count."""
    report = _report(report)
    ratio, speedup = cpu / wall, workers * one_wall / wall
    numbers = (f"kept **{ratio:.2f}** cores busy (CPU/wall) and finished **{speedup:.2f}x** as "
               f"fast as the same {workers} counts one after another (perfect: {workers}x)")
    if report.gil_enabled:
        text = (f"The {workers} threads {numbers}. With the GIL, only one thread runs Python "
                f"code at a time, however many cores there are ({report.cores} usable here): "
                "the threads are concurrent, not parallel.")
        if speedup > WORTH_IT:
            text += (" They still beat one after another by more than the GIL allows, so the "
                     "single countdown above was slowed by something else: rerun both cells.")
        return text + (busy_caveat(report) if speedup < 0.8 or speedup > WORTH_IT
                       or report.busy else "")
    text = (f"The {workers} threads {numbers}. Without a GIL they ran at the same time, on "
            f"{report.cores} usable cores: concurrent *and* parallel.")
    return text + (busy_caveat(report) if ratio < 0.75 * min(workers, report.cores) else "")


def processes_text(one_wall: float, wall: float, cpu: float, workers: int, report=None) -> str:
    """Interpret CPU-bound processes timed by hand, start-up included."""
    report = _report(report)
    ratio, speedup = cpu / wall, workers * one_wall / wall
    possible = min(workers, report.cores)
    text = (f"The {workers} processes kept **{ratio:.2f}** cores busy and finished "
            f"**{speedup:.2f}x** as fast as one after another, starting them included (start "
            f"method: {report.start_method}). Each has its own interpreter and its own GIL, so "
            f"they run in parallel, up to the cores: at most {possible}x here.")
    if speedup < 0.6 * possible:
        text += (" Well short of that: starting processes costs time (much more with spawn or "
                 "forkserver than with fork), and other programs may hold the cores.")
    return text + busy_caveat(report)


def explain_processes(run, report=None) -> str:
    """Say how far recorded processes ran side by side, and why not further.

    On a busy machine processes show about one lane running: this says so, comparing the load
    average with the usable cores, instead of leaving a misleading chart unexplained.

    Args:
        run: a Timeline of processes (or a Result of ``course.run``).
        report: a doctor.Report taken around the run (default: a fresh one).
    """
    report = _report(report)
    m = getattr(run, "timeline", run).metrics()
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
    if report.busy and m.share_2_running < TOGETHER:
        return text + load + (": **the machine is busy**, so the processes could not each get "
                              "a core. That is the machine, not multiprocessing: rerun this "
                              "cell when it is quieter.")
    if m.share_2_running < TOGETHER:
        return text + load + ": the machine looked quiet, so look for the gap in start-up."
    return text + load + "."


def turns_text(timeline, report=None) -> str:
    """Say, with the run's numbers, how recorded CPU-bound threads shared (or did not share)
    the GIL: hand-offs, the median turn against the switch interval, fairness."""
    report = _report(report)
    m = timeline.metrics()
    interval_ms = report.switch_interval * 1000
    numbers = (f"at most **{m.max_running}** lane(s) running at once, two or more "
               f"{m.share_2_running:.1%} of the time")
    if not report.gil_enabled:
        return (f"Without a GIL the {m.lanes} threads did not have to take turns: {numbers}, on "
                f"{m.cores} usable core(s)." + busy_caveat(report))
    turn = median_turn_ms(timeline)
    pace = ("about one switch interval" if 0.5 <= turn / interval_ms <= 1.5
            else f"{turn / interval_ms:.1f} switch intervals")
    skipped, handoffs = unfair_handoffs(timeline)
    fairness = (f" Hand-offs are not round-robin: {skipped} of {handoffs} went to a thread "
                "other than the one that had waited longest." if skipped else "")
    return (f"The {m.lanes} threads handed the GIL over **{handoffs}** times: a median turn of "
            f"**{turn:.2f} ms**, {pace} ({interval_ms:g} ms), with {numbers}.{fairness}"
            + (busy_caveat(report) if "about" not in pace else ""))


def sweep_text(rows: Sequence[SweepRow], report=None) -> str:
    """Say how closely the measured turns followed the switch interval."""
    report = _report(report)
    close = [r for r in rows if 0.5 <= r.median_turn_ms / r.interval_ms <= 1.5]
    lo, hi = rows[0], rows[-1]
    text = (f"At {lo.interval_ms:g} ms the median turn was {lo.median_turn_ms:.2f} ms; at "
            f"{hi.interval_ms:g} ms it was {hi.median_turn_ms:.2f} ms. The median turn stayed "
            f"within 50% of the interval in **{len(close)} of {len(rows)}** runs")
    if not report.gil_enabled:
        return text + ": without a GIL nothing hands turns over, so they need not follow it."
    if len(close) >= len(rows) - 1:
        return text + ": the switch interval sets the turns."
    return (text + ". Where a turn strayed from the interval, something other than the GIL "
            "was handing out the CPU." + busy_caveat(report))


def repeats_text(runs: Mapping[str, Sequence], report=None) -> str:
    """Sum up the same experiment repeated: median and range of CPU/wall per backend."""
    report = _report(report)
    parts = []
    for backend, results in runs.items():
        values = sorted(result.metrics.cpu_over_wall for result in results)
        parts.append(f"{backend} a median of **{statistics.median(values):.2f}** (from "
                     f"{values[0]:.2f} to {values[-1]:.2f})")
    count = len(next(iter(runs.values())))
    text = (f"Over {count} runs each, CPU/wall was: {'; '.join(parts)}, on {report.cores} "
            "usable cores. One run can mislead; the median of several rarely does.")
    processes = runs.get("processes")
    if processes and min(report.cores, processes[0].workers) >= 2:
        best = max(result.metrics.share_2_running for result in processes)
        if best < TOGETHER:
            text += (f" Even the best processes run had two or more running only {best:.0%} "
                     "of the time." + (busy_caveat(report) or " The machine looked quiet, so "
                                       "look for the time lost in starting them."))
    return text


# --- waiting and C code ----------------------------------------------------------------------
def io_text(timeline, sequential_s: float, wall_s: float) -> str:
    """Interpret threads that mostly wait: overlapping waits, computing still one at a time."""
    waits = timeline.share_at_least(2, "waiting")
    running = timeline.metrics().share_2_running
    return (f"Two or more threads were waiting at once **{waits:.0%}** of the time, so the "
            f"{len(timeline.lanes)} threads took {wall_s:.3f} s against {sequential_s:.3f} s one "
            f"after another: **{sequential_s / wall_s:.2f}x** faster. Their computing overlapped "
            f"only {running:.0%} of the time: waiting needs no GIL, running Python code does.")


def hashing_text(timelines: Mapping[str, object], report=None) -> str:
    """Compare how much of each hashing run had both threads running at once."""
    report = _report(report)
    shares = {label: getattr(t, "timeline", t).metrics().share_2_running
              for label, t in timelines.items()}
    listed = ", ".join(f"{label} **{share:.0%}**" for label, share in shares.items())
    text = f"Share of each run with two threads running at once: {listed}."
    if not report.gil_enabled:
        return text + " Without a GIL, small pieces need not take turns either."
    if min(report.cores, 2) < 2:
        return text + " With one usable core, even C code that releases the GIL takes turns."
    values = list(shares.values())
    if values[0] >= TOGETHER > max(values[1:], default=0):
        return text + (" Same bytes, same algorithm: only the size of the pieces handed to "
                       "`update()` decided whether the threads ran in parallel.")
    return text + " This time the runs did not split that way." + busy_caveat(report)


# --- Amdahl's law ----------------------------------------------------------------------------
def amdahl_text(speedups: Mapping[str, Speedup], cores: int) -> str:
    """Tabulate measured against predicted speedups, and name what Amdahl's law cannot explain."""
    lines = ["| run | p | workers | measured | Amdahl predicts |", "|---|---|---|---|---|"]
    for label, s in speedups.items():
        lines.append(f"| {label} | {s.p:.2f} | {s.workers} | {s.measured:.2f}x | "
                     f"{s.predicted(cores):.2f}x |")
    slow = [label for label, s in speedups.items() if s.measured < 1]
    note = (f"\n\n{', '.join(slow)} ran *slower* than one after another: no parallel fraction "
            "explains a slowdown, because Amdahl's law has no term for overhead (handing the GIL "
            "over, starting processes)." if slow else
            "\n\nWhere a measurement falls short of its line, the gap is overhead, which "
            "Amdahl's law leaves out: handing the GIL over, starting processes, a busy machine.")
    fast = [label for label, s in speedups.items() if s.measured > WORTH_IT * s.predicted(cores)]
    if fast:
        note += (f" {', '.join(fast)} beat the prediction: the time it was compared with was "
                 "measured while something else slowed it, so rerun both.")
    return "\n".join(lines) + note


# --- GIL vs free-threaded --------------------------------------------------------------------
def counterpart_text(other) -> str:
    """Say which other Python the comparison uses, or how to get one when there is none."""
    from ... import interpreters

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
                f"`{interpreters.ENV_GIL}` at one (any CPython 3.10 or newer) and rerun them.")
    return (f"This kernel runs **{here.label}**, and no free-threaded Python was found on this "
            "machine, so the cells below show this kernel alone. To get one: in the course "
            "folder, `make freethreaded` builds CPython 3.13 without the GIL (about 4 minutes, "
            "once) and adds it to JupyterLab as a kernel; or install one (the python.org "
            "installers' free-threaded option, conda-forge's `python-freethreading`, or `uv "
            "python install 3.13t`) and point the variable "
            f"`{interpreters.ENV_FREETHREADED}` at it. Then rerun these cells.")


def builds_table(builds) -> str:
    """Every run of every build: threads, wall time, CPU/wall, share with >=2 running."""
    lines = ["| build | threads | wall | CPU/wall | >=2 threads running |", "|---|---|---|---|---|"]
    for build in builds:
        for n, result in sorted(build.runs.items()):
            m = result.metrics
            lines.append(f"| {build.label} | {n} | {m.wall_s * 1000:.0f} ms | "
                         f"{m.cpu_over_wall:.2f} | {m.share_2_running:.0%} |")
        if build.problem:
            lines.append(f"| {build.label} | - | could not run: {build.problem} | | |")
    return "\n".join(lines)


def builds_text(builds, report=None) -> str:
    """Compare the builds with this run's numbers: parallelism, then its single-thread cost.
    With one build only, say what could not be compared."""
    from .builds import SPIN_ITERATIONS, SPIN_REPEATS

    report = _report(report)
    ran = {build.gil: build for build in builds if build.runs}
    if len(ran) < 2:
        return _one_build(builds)
    with_gil, without = ran[True], ran[False]
    n = max(set(with_gil.runs) & set(without.runs))
    g, f = with_gil.runs[n].metrics, without.runs[n].metrics
    text = (f"With {n} threads on {g.cores} usable core(s), CPU/wall was **{g.cpu_over_wall:.2f}**"
            f" with the GIL (two or more running {g.share_2_running:.0%} of the time) and "
            f"**{f.cpu_over_wall:.2f}** free-threaded ({f.share_2_running:.0%}).")
    if with_gil.spin_s and without.spin_s:
        ratio = without.spin_s / with_gil.spin_s
        cost = (f"a single-thread cost of **{ratio - 1:.0%}**" if ratio >= 1
                else "**no single-thread cost** here")
        same_work = f.wall_s * ratio  # each build did size_ms at its own speed: same work
        verdict = "faster" if same_work < g.wall_s else "slower"
        text += (f" One thread of the same fixed loop ({SPIN_ITERATIONS:,} iterations, best of "
                 f"{SPIN_REPEATS}) took {with_gil.spin_s * 1000:.0f} ms with the GIL and "
                 f"{without.spin_s * 1000:.0f} ms free-threaded: {cost} ({ratio:.2f}x the time). "
                 f"For the same *work*, the free-threaded {n} threads would need about "
                 f"{same_work * 1000:.0f} ms against {g.wall_s * 1000:.0f} ms: "
                 f"**{max(g.wall_s, same_work) / min(g.wall_s, same_work):.2f}x {verdict}**, "
                 "cost included.")
    else:
        text += " The single-thread cost could not be timed on both builds, so it is not shown."
    if min(g.cores, n) < 2:
        text += " With one usable core, even threads without a GIL can only take turns."
    elif f.share_2_running < TOGETHER:
        text += busy_caveat(report)
    return text


def _one_build(builds) -> str:
    build = next((b for b in builds if b.runs), None)
    if build is None:
        return "No build could run: " + "; ".join(b.problem for b in builds if b.problem)
    cpu = ", ".join(f"{r.metrics.cpu_over_wall:.2f} with {n} thread(s)"
                    for n, r in sorted(build.runs.items()))
    text = (f"Only **{build.label}** ran here: CPU/wall {cpu}. With no second build there is "
            "nothing to compare: neither the parallelism nor the single-thread cost of the "
            "other kind of build was measured on this machine.")
    problems = [f"{b.label} could not run: {b.problem}" for b in builds if b.problem]
    return text + "".join(f" {p}." for p in problems)


# --- choosing --------------------------------------------------------------------------------
def choice_text(cpu_threads: Speedup, cpu_processes: Speedup, io_threads: Speedup,
                hashing: Mapping[str, object], report=None) -> str:
    """Gather the lesson's runs into one table and the choice each suggests."""
    report = _report(report)

    def choose(threads: float, processes: float | None) -> str:
        best = max(threads, processes or 0.0)
        if best < WORTH_IT:
            return "neither"
        if processes is None or threads >= THREADS_CLOSE_ENOUGH * processes:
            return "threads"
        return "processes"

    cpu_choice = ("unclear: the machine was busy" if report.busy else
                  choose(cpu_threads.measured, cpu_processes.measured))
    rows = [("pure-Python computing", f"{cpu_threads.measured:.2f}x",
             f"{cpu_processes.measured:.2f}x", cpu_choice),
            ("waiting (sleep, I/O)", f"{io_threads.measured:.2f}x", "not measured",
             choose(io_threads.measured, None))]
    for label, timeline in hashing.items():
        share = getattr(timeline, "timeline", timeline).metrics().share_2_running
        choice = ("threads" if share >= TOGETHER else
                  "unclear: the machine was busy" if report.busy else "bigger pieces, or processes")
        rows.append((label, f"two running {share:.0%} of the time", "not measured", choice))
    lines = ["| work | threads | processes | choose |", "|---|---|---|---|"]
    lines += [f"| {work} | {t} | {p} | **{choice}** |" for work, t, p, choice in rows]
    return "\n".join(lines) + ("\n\n" + busy_caveat(report).strip() if report.busy else "")
