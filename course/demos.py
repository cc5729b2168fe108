"""Threads and processes, shown and measured: the demonstrations of lesson 1.

Threads of one process share its memory; a child process works on its own copy (fork) or on
a fresh interpreter (spawn, forkserver). Every ``threading.Thread`` is an operating-system
thread, counted in ``/proc/self/task`` on Linux, with its own id, stack and current line.
Starting a thread costs tens of microseconds; starting a process costs one to three orders of
magnitude more, depending on the start method. Waiting jobs overlap when each gets a thread.

The functions a child process runs live here, in an importable module, because spawn and
forkserver start a fresh interpreter that finds the function by importing its module: a
function defined in a notebook cannot be found that way.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import queue
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from .timeline import WAIT, WORK, Recorder, Timeline
from .workloads import calibrate, spin

__all__ = [
    "SHARED", "reset_shared", "append_to_shared", "shared_list_scenario", "whoami", "in_child",
    "os_thread_count", "os_threads", "parked_threads", "thread_table", "exit_with_thread",
    "Log", "printed_orders", "time_quietly", "plot_orders",
    "START_KINDS", "start_cost", "start_costs", "plot_start_costs",
    "io_jobs", "io_sweep", "plot_io_sweep", "io_explorer", "markdown_table",
    "Printout", "watch_printing", "finishing_in_reverse", "meeting", "FETCH_SECONDS",
    "fetch_page", "CountingJob",
]

# A module-level list: a thread appends to this very list, a child process to its own copy.
SHARED: list = []
START_KINDS = ("thread",) + tuple(
    m for m in ("fork", "forkserver", "spawn") if m in multiprocessing.get_all_start_methods())
# Enough repeats for a stable median, few enough to keep a notebook cell near one second.
DEFAULT_REPEATS = {"thread": 200, "fork": 10, "forkserver": 5, "spawn": 3}
MAX_JOBS = 64


# --- memory: shared by threads, copied for processes ----------------------------------------
def reset_shared(*items) -> list:
    """Empty SHARED in this process, then put *items* in it; returns the list itself."""
    SHARED[:] = items
    return SHARED


def append_to_shared(item) -> list:
    """Append *item* to SHARED as this process sees it; returns a copy of the list after.

    Run in a thread, it changes the caller's list. Run in a child process, it changes the
    child's copy only: the copy it returns is what the child saw.
    """
    SHARED.append(item)
    return list(SHARED)


def shared_list_scenario(timeout: float = 30.0) -> dict[str, list]:
    """Run the "who sees the change" scenario for real; returns what each step printed.

    A thread appends "thread" to SHARED (after a reset to ["main"]): "a" is the parent's list
    then. A forked child appends "child": "b" is the child's view, "c" the parent's after.
    A spawned child appends "spawned": "d" is its view. Leaves SHARED as the parent has it.

    Raises:
        TimeoutError: a thread or child did not finish within *timeout* seconds.
    """
    reset_shared("main")
    thread = threading.Thread(target=append_to_shared, args=("thread",), daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"the appending thread did not finish within {timeout:g} s")
    seen = {"a": list(SHARED)}
    seen["b"] = in_child(append_to_shared, "child", start_method="fork", timeout=timeout)
    seen["c"] = list(SHARED)
    seen["d"] = in_child(append_to_shared, "spawned", start_method="spawn", timeout=timeout)
    return seen


def whoami() -> dict:
    """Return who runs this call: process id, thread name, Python ident and OS thread id."""
    thread = threading.current_thread()
    return {"pid": os.getpid(), "thread": thread.name, "ident": threading.get_ident(),
            "native_id": threading.get_native_id()}


def in_child(fn: Callable, *args, start_method: str | None = None, timeout: float = 30.0):
    """Call ``fn(*args)`` in a new child process and return what it returned there.

    Args:
        fn: a function defined in an importable module (spawn and forkserver import it).
        *args: arguments, pickled to the child.
        start_method: "fork", "spawn" or "forkserver" (default: the platform's).
        timeout: seconds to wait for the child.

    Returns:
        The child's return value, pickled back.

    Raises:
        ValueError: unknown start method, or *fn* lives in ``__main__`` (a notebook) under a
            start method that must import it.
        TimeoutError: the child did not answer within *timeout* seconds (it is killed).
        RuntimeError: the child raised, or died before answering.
    """
    ctx = _context(start_method)
    _check_importable(fn, ctx.get_start_method())
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child_main, args=(fn, args, sender), daemon=True)
    child.start()
    sender.close()  # keep only the child's end open, so its death shows as EOF
    try:
        return _answer(child, receiver, timeout)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)


def _context(start_method: str | None):
    methods = multiprocessing.get_all_start_methods()
    if start_method is not None and start_method not in methods:
        raise ValueError(f"start_method must be one of {', '.join(methods)} "
                         f"(got {start_method!r})")
    return multiprocessing.get_context(start_method)


def _check_importable(fn: Callable, method: str) -> None:
    if method != "fork" and getattr(fn, "__module__", None) == "__main__":
        raise ValueError(f"fn must live in an importable module under {method} (got "
                         f"{fn.__qualname__} from __main__): move it into a .py file")


def _child_main(fn: Callable, args: tuple, conn) -> None:
    try:
        conn.send((True, fn(*args)))
    except BaseException as error:  # report it: the parent cannot see the child's traceback
        conn.send((False, f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def _answer(child, receiver, timeout: float):
    if not receiver.poll(timeout):
        raise TimeoutError(f"child process did not finish within {timeout:g} s")
    try:
        ok, value = receiver.recv()
    except EOFError:
        child.join(1)
        raise RuntimeError(f"child process exited with code {child.exitcode} "
                           "before answering") from None
    if not ok:
        raise RuntimeError(f"the child process raised {value}")
    return value


# --- threads as the OS sees them -------------------------------------------------------------
def os_thread_count() -> int | None:
    """Count this process's threads as the kernel lists them in /proc/self/task.

    Returns:
        The number of kernel threads, or None where /proc does not exist (macOS, Windows).
    """
    try:
        return len(os.listdir("/proc/self/task"))
    except FileNotFoundError:
        return None


def os_threads() -> list[dict]:
    """List this process's kernel threads, each with the Python thread behind it (if any).

    Returns:
        One dict per kernel thread: "OS thread id", "OS name" (what the kernel calls it)
        and "Python thread" (the threading.Thread with that native id, or a note that none
        exists: C libraries start threads of their own). Empty where /proc does not exist.
    """
    python = {t.native_id: t.name for t in threading.enumerate()}
    try:
        tids = sorted(int(tid) for tid in os.listdir("/proc/self/task"))
    except FileNotFoundError:
        return []
    rows = []
    for tid in tids:
        try:
            with open(f"/proc/self/task/{tid}/comm") as comm:
                name = comm.read().strip()
        except FileNotFoundError:  # the thread ended while we looked
            continue
        rows.append({"OS thread id": tid, "OS name": name,
                     "Python thread": python.get(tid, "none: started by C code")})
    return rows


_EXIT_SCRIPT = """\
import threading, time
def late():
    time.sleep({sleep})
    print("the thread finished its work")
threading.Thread(target=late, daemon={daemon}).start()
print("the main thread reached the end of the program")
"""


def exit_with_thread(daemon: bool, sleep_s: float = 0.3, timeout: float = 30.0) -> dict:
    """Run a tiny script whose main thread ends while a (daemon or not) thread still sleeps.

    Returns:
        ``{"daemon": ..., "seconds": how long the script ran, "output": its printed lines}``.

    Raises:
        TypeError: daemon is not a bool.
        subprocess.TimeoutExpired: the script ran longer than *timeout*.
    """
    import subprocess

    if not isinstance(daemon, bool):
        raise TypeError(f"daemon must be True or False (got {daemon!r})")
    script = _EXIT_SCRIPT.format(sleep=float(sleep_s), daemon=daemon)
    begin = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=timeout, check=True)
    return {"daemon": daemon, "seconds": time.perf_counter() - begin,
            "output": done.stdout.splitlines()}


@contextlib.contextmanager
def parked_threads(n: int, timeout: float = 30.0):
    """Start *n* threads that wait until the ``with`` block ends; yields their Thread objects.

    Raises:
        TypeError: n is not an int.
        ValueError: n is not between 0 and 256.
    """
    _check_int("n", n, 0, 256)
    release = threading.Event()
    threads = [threading.Thread(target=release.wait, args=(timeout,), name=f"parked-{i + 1}",
                                daemon=True) for i in range(n)]
    try:
        for thread in threads:
            thread.start()
        yield threads
    finally:
        release.set()  # in finally: an error in the block must not leave them waiting
        for thread in threads:
            thread.join(timeout)


def thread_table() -> list[dict]:
    """Describe every live thread of this process: its ids, stack depth and current line.

    Returns:
        One dict per thread: name, native_id (the OS thread id), daemon, frames (how deep
        its stack is) and line (``function (file:line)`` it is executing right now).
    """
    frames = sys._current_frames()  # one snapshot: each thread's innermost frame
    rows = []
    for thread in threading.enumerate():
        frame = frames.get(thread.ident)
        rows.append({"name": thread.name, "native_id": thread.native_id,
                     "daemon": thread.daemon, "frames": _depth(frame), "line": _where(frame)})
    return rows


def _depth(frame) -> int:
    depth = 0
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


def _where(frame) -> str:
    if frame is None:
        return "?"
    code = frame.f_code
    return f"{code.co_name} ({os.path.basename(code.co_filename)}:{frame.f_lineno})"


def markdown_table(rows: Sequence[dict], columns: Sequence[str] | None = None) -> str:
    """Format dicts as a Markdown table (display it with ``IPython.display.Markdown``).

    Raises:
        ValueError: no rows.
    """
    if not rows:
        raise ValueError("markdown_table needs at least one row (got none)")
    columns = list(columns or rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = (_cell(row.get(c, "")).replace("|", "/") for c in columns)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


# --- who printed what, when ------------------------------------------------------------------
class Log:
    """Print messages stamped with the milliseconds since the log began and the thread's name.

    Every line is also kept in :attr:`lines` as ``(ms, thread name, message)``, so a cell can
    compute from the order and the times what it then says about them.
    """

    def __init__(self, echo: bool = True) -> None:
        self.echo = echo
        self.start_ns = time.perf_counter_ns()
        self.lines: list[tuple[float, str, str]] = []
        self._lock = threading.Lock()  # protects self.lines and keeps each printed line whole

    def say(self, message: str) -> None:
        """Record *message* from the calling thread (and print it when echoing)."""
        name = threading.current_thread().name
        with self._lock:  # stamp under the lock, so the lines are kept in time order
            ms = (time.perf_counter_ns() - self.start_ns) / 1e6
            self.lines.append((ms, name, str(message)))
            if self.echo:
                print(f"{ms:8.1f} ms  {name:<12} {message}")

    def messages(self) -> list[str]:
        """The messages in the order they were said."""
        return [message for _, _, message in self.lines]

    def at(self, message: str) -> float:
        """Milliseconds at which *message* was first said.

        Raises:
            KeyError: nobody said it.
        """
        for ms, _, said in self.lines:
            if said == message:
                return ms
        raise KeyError(f"nobody said {message!r}")


class _ThreadWriter(io.TextIOBase):
    """A stdout stand-in remembering which thread wrote each piece of text."""

    def __init__(self) -> None:
        self.pieces: list[tuple[str, str]] = []
        self._lock = threading.Lock()  # protects self.pieces

    def write(self, text: str) -> int:
        with self._lock:
            self.pieces.append((threading.current_thread().name, text))
        return len(text)

    def tokens(self) -> list[str]:
        with self._lock:
            text = "".join(piece for _, piece in self.pieces)
        return text.split()


def printed_orders(jobs: Sequence[tuple[Callable, tuple]], runs: int = 20,
                   timeout: float = 10.0) -> list[str]:
    """Run the jobs in threads of their own, *runs* times; return what they printed each time.

    Args:
        jobs: ``(function, args)`` pairs; each run starts one thread per pair, then joins all.
        runs: how many times to run them.
        timeout: seconds each run may take.

    Returns:
        One string per run: the printed words in the order they arrived, joined by spaces.

    Raises:
        ValueError: no jobs or runs < 1.
        TimeoutError: a run did not finish within *timeout* seconds.
    """
    if not jobs:
        raise ValueError("jobs must hold at least one (function, args) pair (got none)")
    _check_int("runs", runs, 1, 10_000)
    return [" ".join(_one_run(jobs, timeout)) for _ in range(runs)]


def _one_run(jobs, timeout: float) -> list[str]:
    writer = _ThreadWriter()
    # redirect_stdout swaps sys.stdout for the whole process, so the threads' prints land here.
    with contextlib.redirect_stdout(writer):
        threads = [threading.Thread(target=fn, args=tuple(args), daemon=True) for fn, args in jobs]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError(f"the printing threads did not finish within {timeout:g} s")
    return writer.tokens()


def time_quietly(fn: Callable, *args, repeats: int = 5) -> float:
    """Time ``fn(*args)`` with its printed output thrown away; returns the best time, in seconds."""
    _check_int("repeats", repeats, 1, 10_000)
    best = float("inf")
    for _ in range(repeats):
        with contextlib.redirect_stdout(io.StringIO()):
            began = time.perf_counter()
            fn(*args)
            best = min(best, time.perf_counter() - began)
    return best


def plot_orders(orders: dict[str, Sequence[str]], first: str = "0123456789"):
    """Draw each run's printed order as a row of coloured cells, one panel per setting.

    Args:
        orders: setting name -> the runs' orders, as :func:`printed_orders` returns them.
        first: characters that mark a word as the first job's (drawn blue; others orange).

    Returns:
        The matplotlib Figure, titled with the number of distinct orders per setting.

    Raises:
        ValueError: no settings, or a setting with no runs.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    if not orders or any(len(runs) == 0 for runs in orders.values()):
        raise ValueError("orders must map each setting to at least one run (got an empty one)")
    runs_most = max(len(r) for r in orders.values())
    fig = Figure(figsize=(11, 1.6 + 0.17 * runs_most), layout="constrained")
    axes = fig.subplots(1, len(orders), squeeze=False)[0]
    cmap = ListedColormap(["#0072B2", "#E69F00"])
    for panel, (name, runs) in zip(axes, orders.items()):
        grid = [[0 if word[0] in first else 1 for word in run.split()] for run in runs]
        width = max(len(row) for row in grid)
        panel.imshow([row + [1] * (width - len(row)) for row in grid], cmap=cmap, vmin=0, vmax=1,
                     aspect="auto", interpolation="nearest",
                     extent=(0.5, width + 0.5, len(runs) + 0.5, 0.5))
        panel.set_title(name, loc="left", fontsize="medium")
        panel.set_xlabel("position in the output (blue: digits, orange: letters)")
        panel.set_ylabel("run")
        panel.yaxis.get_major_locator().set_params(integer=True)
        panel.xaxis.get_major_locator().set_params(integer=True)
    fig.suptitle(_orders_finding(orders), x=0.01, ha="left")
    return fig


def _orders_finding(orders: dict[str, Sequence[str]]) -> str:
    parts = [f"{name}: {_distinct(runs)} in {len(runs)} runs" for name, runs in orders.items()]
    return "Printed orders: " + "; ".join(parts)


def _distinct(runs: Sequence[str]) -> str:
    count = len(Counter(runs))
    return "always the same order" if count == 1 else f"{count} different orders"


# --- what starting a thread or a process costs ------------------------------------------------
def _nothing() -> None:
    """The job the start-up timings run: nothing, so only starting and joining is measured."""


def start_cost(kind: str, repeats: int | None = None, timeout: float = 30.0) -> list[float]:
    """Time starting and joining threads or processes that do nothing.

    Args:
        kind: "thread", or a start method: "fork", "forkserver" or "spawn".
        repeats: how many to time (default: 200 threads, 10 forks, 5 forkservers, 3 spawns).
        timeout: seconds any one may take.

    Returns:
        Seconds per start-and-join, one per repeat. One untimed start comes first: it pays
        one-off costs (forkserver starts its server process then).

    Raises:
        ValueError: unknown kind or repeats < 1.
        TimeoutError: one did not finish within *timeout* seconds.
    """
    if kind not in START_KINDS:
        raise ValueError(f"kind must be one of {', '.join(START_KINDS)} (got {kind!r})")
    repeats = DEFAULT_REPEATS[kind] if repeats is None else repeats
    _check_int("repeats", repeats, 1, 100_000)
    make = _thread_maker() if kind == "thread" else _process_maker(kind)
    _start_and_join(make, timeout)
    return [_start_and_join(make, timeout) for _ in range(repeats)]


def _thread_maker():
    return lambda: threading.Thread(target=_nothing, daemon=True)


def _process_maker(method: str):
    ctx = multiprocessing.get_context(method)
    return lambda: ctx.Process(target=_nothing, daemon=True)


def _start_and_join(make, timeout: float) -> float:
    worker = make()
    begin = time.perf_counter()
    worker.start()
    worker.join(timeout)
    elapsed = time.perf_counter() - begin
    if worker.is_alive():
        if hasattr(worker, "kill"):
            worker.kill()
        raise TimeoutError(f"{worker.name} did not finish within {timeout:g} s")
    return elapsed


def start_costs(kinds: Iterable[str] = START_KINDS, repeats: int | None = None) -> dict:
    """Time :func:`start_cost` for each kind; returns kind -> list of seconds."""
    return {kind: start_cost(kind, repeats) for kind in kinds}


def plot_start_costs(costs: dict[str, Sequence[float]], ax=None):
    """Draw the median start-and-join time of each kind as bars on a log scale.

    Args:
        costs: kind -> seconds per start, as :func:`start_costs` returns.
        ax: a matplotlib Axes to draw into (default: a new figure).

    Returns:
        The matplotlib Figure, titled with how many times slower a process starts.

    Raises:
        ValueError: no kinds, or a kind with no timings.
    """
    from matplotlib.figure import Figure

    if not costs or any(len(v) == 0 for v in costs.values()):
        raise ValueError("costs must map each kind to at least one timing (got an empty one)")
    medians = {kind: statistics.median(v) * 1e3 for kind, v in costs.items()}
    if ax is None:
        ax = Figure(figsize=(9, 1.3 + 0.55 * len(medians)), layout="constrained").subplots()
    labels = [_kind_label(kind) for kind in medians]
    bars = ax.barh(labels, list(medians.values()),
                   color=["#0072B2" if k == "thread" else "#CC79A7" for k in medians])
    base = medians.get("thread")
    ax.bar_label(bars, labels=[_cost_label(ms, base) for ms in medians.values()], padding=3)
    ax.set_xscale("log")
    ax.set_xlim(min(medians.values()) / 3, max(medians.values()) * 20)
    ax.invert_yaxis()
    ax.set_xlabel("median time to start and join one that does nothing (ms, log scale)")
    ax.set_title(_start_finding(medians, costs), loc="left", fontsize="medium")
    return ax.figure


def _kind_label(kind: str) -> str:
    return "thread" if kind == "thread" else f"process ({kind})"


def _cost_label(ms: float, base: float | None) -> str:
    text = f"{ms:.3f} ms" if ms < 1 else f"{ms:.1f} ms"
    return text if base is None or ms == base else f"{text} ({ms / base:,.0f}x)"


def _start_finding(medians: dict[str, float], costs: dict) -> str:
    if "thread" not in medians or len(medians) < 2:
        return ", ".join(f"{_kind_label(k)} {_cost_label(ms, None)}" for k, ms in medians.items())
    base = medians["thread"]
    rest = {k: ms for k, ms in medians.items() if k != "thread"}
    fastest, slowest = min(rest, key=rest.get), max(rest, key=rest.get)
    return (f"A thread started in {_cost_label(base, None)}; a process took "
            f"{rest[fastest] / base:,.0f}x longer ({fastest}) to {rest[slowest] / base:,.0f}x "
            f"({slowest})\nmedians of {', '.join(f'{len(v)}' for v in costs.values())} runs")


# --- waiting jobs on a pool of threads -------------------------------------------------------
def io_jobs(jobs: int = 12, threads: int = 1, wait_ms: float = 40.0, work_ms: float = 1.0,
            timeout: float = 30.0) -> Timeline:
    """Run *jobs* waiting jobs on *threads* threads and record who ran and waited when.

    Each job computes for *work_ms* (pure Python, holding the GIL) and then sleeps for
    *wait_ms*, standing in for a download or a disk read. The threads take jobs from a
    shared queue until it is empty.

    Returns:
        The recorded Timeline: one lane per thread, "work" and "wait" spans.

    Raises:
        TypeError: jobs or threads is not an int.
        ValueError: jobs or threads is not between 1 and 64, or a duration is negative.
        TimeoutError: the jobs did not finish within *timeout* seconds.
    """
    _check_int("jobs", jobs, 1, MAX_JOBS)
    _check_int("threads", threads, 1, MAX_JOBS)
    for name, value in (("wait_ms", wait_ms), ("work_ms", work_ms)):
        if not value >= 0:
            raise ValueError(f"{name} must be >= 0 (got {value})")
    todo: queue.Queue = queue.Queue()
    for job in range(jobs):
        todo.put(job)
    recorder = Recorder()
    workers = [threading.Thread(target=_io_worker, args=(recorder, todo, wait_ms, work_ms),
                                name=f"thread {i + 1}", daemon=True) for i in range(threads)]
    _run_all(workers, timeout)
    return recorder.timeline(label=f"{jobs} waiting jobs on {threads} thread(s)")


def _io_worker(recorder: Recorder, todo: queue.Queue, wait_ms: float, work_ms: float) -> None:
    lane = recorder.lane()
    clock, per_chunk = time.perf_counter_ns, calibrate()["cpu"]
    chunks = max(0, round(work_ms * 1000 / 50))
    while True:
        try:
            todo.get_nowait()
        except queue.Empty:
            break
        for _ in range(chunks):  # 50 us chunks: short enough to show who really ran
            start = clock()
            spin(per_chunk)
            lane.record(start, clock(), WORK)
        start = clock()
        time.sleep(wait_ms / 1000)  # the thread blocks here and lets the others run
        lane.record(start, clock(), WAIT)
    lane.close()


def _run_all(workers: list[threading.Thread], timeout: float) -> None:
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + timeout
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    if any(worker.is_alive() for worker in workers):
        raise TimeoutError(f"the jobs did not finish within {timeout:g} s")


def io_sweep(thread_counts: Iterable[int] = (1, 2, 3, 4, 6, 12), jobs: int = 12,
             wait_ms: float = 40.0, work_ms: float = 1.0) -> list[tuple[int, float]]:
    """Time :func:`io_jobs` for each thread count; returns ``[(threads, wall seconds), ...]``."""
    return [(n, io_jobs(jobs, n, wait_ms, work_ms).wall_ns / 1e9) for n in thread_counts]


def plot_io_sweep(sweep: Sequence[tuple[int, float]], jobs: int, ax=None):
    """Draw the measured speedup over one thread against the number of threads.

    Args:
        sweep: ``[(threads, wall seconds), ...]`` with a run on 1 thread, from :func:`io_sweep`.
        jobs: how many jobs the runs shared (bounds the ideal speedup).
        ax: a matplotlib Axes to draw into (default: a new figure).

    Returns:
        The matplotlib Figure, titled with the best speedup measured.

    Raises:
        ValueError: the sweep has no run on 1 thread.
    """
    from matplotlib.figure import Figure

    walls = dict(sweep)
    if 1 not in walls:
        raise ValueError(f"sweep must include a run on 1 thread "
                         f"(got thread counts {sorted(walls)})")
    counts = sorted(walls)
    speedups = [walls[1] / walls[n] for n in counts]
    if ax is None:
        ax = Figure(figsize=(7, 4), layout="constrained").subplots()
    ax.plot(counts, [min(n, jobs) for n in counts], "--", color="#707070",
            label="ideal: every wait overlaps")
    ax.plot(counts, speedups, "o-", color="#0072B2", label="measured")
    for n, s in zip(counts, speedups):
        ax.annotate(f"{s:.1f}x", (n, s), textcoords="offset points", xytext=(0, 7),
                    ha="center", fontsize="small")
    ax.set_xlabel("threads")
    ax.set_ylabel("speedup over 1 thread")
    ax.set_xticks(counts)
    ax.legend(loc="upper left")
    best = max(counts, key=lambda n: walls[1] / walls[n])
    ax.set_title(f"{jobs} waiting jobs: {best} threads finished {walls[1] / walls[best]:.1f}x "
                 f"sooner than 1\n({walls[1] * 1e3:.0f} ms -> {walls[best] * 1e3:.0f} ms, "
                 f"ideal {min(best, jobs)}x)", loc="left", fontsize="medium")
    return ax.figure


def io_explorer(jobs: int = 12, wait_ms: float = 40.0, threads: int = 4, max_threads: int = 12,
                baseline_s: float | None = None):
    """A slider for the number of threads: each move reruns the waiting jobs and redraws.

    The run on 1 thread is measured once, up front, as the baseline of the speedup, unless
    *baseline_s* already gives its wall time (say, from :func:`io_sweep`).

    Args:
        jobs: how many waiting jobs each run shares out (1..64).
        wait_ms: milliseconds each job waits.
        threads: the slider's first position.
        max_threads: the slider's right end (1..64).
        baseline_s: wall seconds of the same jobs on 1 thread, if already measured.

    Returns:
        A ``course.widgets.SliderChart``: display it, or call ``update(threads=n)``.

    Raises:
        TypeError, ValueError: as for :func:`io_jobs`, or threads outside 1..max_threads.
    """
    import ipywidgets

    from .widgets import interactive_chart

    _check_int("max_threads", max_threads, 1, MAX_JOBS)
    _check_int("threads", threads, 1, max_threads)
    if baseline_s is not None and not baseline_s > 0:
        raise ValueError(f"baseline_s must be > 0 seconds (got {baseline_s})")
    baseline = baseline_s or io_jobs(jobs, 1, wait_ms).wall_ns / 1e9
    slider = ipywidgets.IntSlider(value=threads, min=1, max=max_threads, description="threads",
                                  continuous_update=False)
    return interactive_chart(lambda threads: _io_chart(jobs, threads, wait_ms, baseline),
                             threads=slider)


def _io_chart(jobs: int, threads: int, wait_ms: float, baseline: float):
    from .gantt import plot_gantt

    timeline = io_jobs(jobs, threads, wait_ms)
    wall = timeline.wall_ns / 1e9
    speedup = baseline / wall
    title = (f"{jobs} waiting jobs on {threads} thread{'s' * (threads > 1)}: "
             f"{speedup:.1f}x faster than on 1 thread (ideal {min(threads, jobs)}x)")
    text = (f"wall {wall * 1e3:.0f} ms on {threads} thread(s) vs {baseline * 1e3:.0f} ms on 1: "
            f"speedup {speedup:.2f}x")
    return plot_gantt(timeline, title=title), text


# --- graded-test helpers ---------------------------------------------------------------------
@dataclass
class Printout:
    """What :func:`watch_printing` saw: the value, who printed which lines, who was still alive."""

    value: Any
    caller_lines: list[str]
    printers: list[tuple[str, list[str]]]  # (thread name, its lines) per other thread, in order
    alive_at_return: list[str]
    together: int  # most printing threads alive at the same moment

    def lines_of(self, index: int) -> list[str]:
        """The lines the *index*-th printing thread printed (empty when there is no such)."""
        return self.printers[index][1] if index < len(self.printers) else []


class _HoldingWriter:
    """Stands in for sys.stdout: files each line under its thread, and holds every new thread
    at its first write until the watched function returns (or *hold* seconds pass)."""

    encoding = "utf-8"

    def __init__(self, hold: float) -> None:
        self.hold = hold
        self.caller: threading.Thread | None = None
        self.returned = threading.Event()
        self.together = 0
        self._lock = threading.Lock()  # protects _partial, _lines and _printers
        self._partial: dict[threading.Thread, str] = {}
        self._lines: list[tuple[threading.Thread, str]] = []
        self._printers: list[threading.Thread] = []  # keeps them alive: no ident reuse

    def write(self, text: str) -> int:
        thread = threading.current_thread()
        if thread is not self.caller:
            self._arrive(thread)
        with self._lock:
            *complete, rest = (self._partial.pop(thread, "") + str(text)).split("\n")
            self._lines += [(thread, line) for line in complete]
            if rest:
                self._partial[thread] = rest
        return len(text)

    def flush(self) -> None:
        pass

    def _arrive(self, thread: threading.Thread) -> None:
        with self._lock:
            if thread in self._printers:
                return
            self._printers.append(thread)
            alive = sum(t.is_alive() for t in self._printers)
            self.together = max(self.together, alive)
        # Held here, a thread the function did not join is still alive when it returns.
        self.returned.wait(self.hold)

    def printout(self, value, alive: list[str]) -> Printout:
        with self._lock:
            lines = self._lines + [(t, rest) for t, rest in self._partial.items()]
        caller = [text for t, text in lines if t is self.caller]
        printers = [(t.name, [text for who, text in lines if who is t]) for t in self._printers]
        return Printout(value, caller, printers, alive, self.together)


def watch_printing(fn: Callable, timeout: float = 5.0, hold: float = 0.2) -> Printout:
    """Call ``fn()`` and record which thread printed each line, and which were left running.

    Each thread that prints is held at its first print until *fn* returns (or *hold* seconds
    pass): so a function that forgets to join returns while its threads are certainly alive,
    and threads started together are certainly alive together. Left-over threads are then
    given the rest of *timeout* to finish, so their output is captured too.

    Args:
        fn: the function to watch, called without arguments.
        timeout: seconds *fn* may take.
        hold: longest time a printing thread is held (it adds to a correct function's time).

    Returns:
        A :class:`Printout`.

    Raises:
        AssertionError: *fn* did not finish within *timeout* (says where threads are stuck).
    """
    from .testing import finishes_within

    writer, before = _HoldingWriter(hold), set(threading.enumerate())

    def call():
        writer.caller = threading.current_thread()
        try:
            value = fn()
            return value, [t.name for t in _started_since(before, writer.caller)]
        finally:
            writer.returned.set()

    original, sys.stdout = sys.stdout, writer
    deadline = time.monotonic() + timeout
    try:
        value, alive = finishes_within(call, timeout)
        for thread in _started_since(before, None):
            thread.join(max(0.0, deadline - time.monotonic()))
    finally:
        sys.stdout = original
    return writer.printout(value, alive)


def _started_since(before: set, caller) -> list[threading.Thread]:
    return [t for t in threading.enumerate()
            if t not in before and t is not caller and t.is_alive()]


def finishing_in_reverse(inputs: Sequence, wait: float = 0.5, scale: int = 10) -> Callable:
    """A job ``f(x) = scale * x`` whose calls finish in the reverse order of *inputs*.

    The call for ``inputs[i]`` first waits (at most *wait* seconds) until the call for
    ``inputs[i + 1]`` has returned. Run all at once, the last input finishes first; run one
    after another, each call waits its *wait* out.
    """
    done = {x: threading.Event() for x in inputs}
    after = dict(zip(inputs, list(inputs)[1:]))

    def job(x):
        if x in after:
            done[after[x]].wait(wait)
        try:
            return scale * x
        finally:
            done[x].set()
    return job


def meeting(n: int, then: Callable = lambda x: 10 * x, timeout: float = 1.0) -> Callable:
    """A job that waits until *n* calls are in progress at once (at most *timeout*), then
    returns ``then(x)``: calls made together overlap for certain, calls made one at a time
    do not (the first waits *timeout*, then the meeting is off and the others pass at once).
    """
    _check_int("n", n, 1, 1024)
    barrier = threading.Barrier(n)

    def job(x):
        try:
            barrier.wait(timeout)
        except threading.BrokenBarrierError:
            pass  # not all arrived: the timeline shows it, the student's code should not crash
        return then(x)
    return job


FETCH_SECONDS = 0.05


def fetch_page(page: str) -> str:
    """Pretend to download *page*: wait FETCH_SECONDS, then return its "content"."""
    time.sleep(FETCH_SECONDS)  # a download mostly waits for the network
    return f"<html>{page}</html>"


class CountingJob:
    """A job returning 1, 2, 3, ... on successive calls; remembers which threads called it, when.

    Attributes:
        threads: the Thread object of each call, in call order.
        spans: ``(start_ns, end_ns)`` of each call.
    """

    def __init__(self, pause: float = 0.02) -> None:
        self.pause = pause
        self.threads: list[threading.Thread] = []
        self.spans: list[tuple[int, int]] = []
        self._lock = threading.Lock()  # protects threads, spans and the count they imply

    def __call__(self) -> int:
        start = time.perf_counter_ns()
        time.sleep(self.pause)
        with self._lock:
            self.threads.append(threading.current_thread())
            self.spans.append((start, time.perf_counter_ns()))
            return len(self.threads)

    @property
    def calls(self) -> int:
        with self._lock:
            return len(self.threads)


# --- helpers ---------------------------------------------------------------------------------
def _check_int(name: str, value, least: int, most: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int (got {type(value).__name__})")
    if not least <= value <= most:
        raise ValueError(f"{name} must be between {least} and {most} (got {value})")
