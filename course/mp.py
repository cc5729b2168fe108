"""Multiprocessing, measured: start methods, what crossing a process boundary costs, who worked.

The lesson on processes calls the top of this module; its graded tests call the rest:

- :func:`context` gives the multiprocessing context a lesson uses. Setting the environment
  variable ``COURSE_START_METHOD`` (fork, spawn or forkserver) before the kernel starts makes it
  the default for the whole process, so a grading run can force spawn on Linux.
- :func:`run_target` and :func:`probe_pool` start a worker and report what its process said
  on stderr, e.g. ``Can't get attribute 'square' on <module '__main__'>`` when a function
  defined in a notebook is sent to a spawn or forkserver worker. :func:`run_script` runs a
  script in a fresh interpreter, to show why ``if __name__ == "__main__":`` matters.
- :func:`startup_costs`, :func:`transfer_costs`, :func:`update_costs` and
  :func:`pipe_round_trip` measure the price of a process, of pickling an argument, of a
  Manager and of a message; the ``plot_*`` functions draw them with the finding as title.
- :func:`pool_run` runs CPU-bound tasks on a Pool and records a chunk-level timeline per
  worker process; :func:`explore_pool` puts it behind sliders, next to Amdahl's prediction.
- :class:`CallLog` records, through files, every call of a wrapped function in whichever
  process it runs, so a test sees which processes did the work even under spawn.
- :func:`bounded` runs student code under a time limit and ends any pool or process it left
  behind, so a hanging or leaky submission costs seconds and leaves nothing running.
"""

from __future__ import annotations

import functools
import gc
import json
import multiprocessing
import multiprocessing.pool
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from .testing import finishes_within
from .timeline import READY, RUNNING, WAITING, Timeline, usable_cores
from .workloads import plan, run_lane

__all__ = [
    "START_METHOD_ENV", "START_METHODS", "start_method_from_env", "apply_start_method_env",
    "context", "Outcome", "run_target", "PoolProbe", "probe_pool", "ScriptRun", "run_script",
    "GUARDED_SCRIPT", "UNGUARDED_SCRIPT",
    "setup_note", "startup_costs", "plot_startup", "chunksize_costs", "plot_chunksize",
    "Transfer", "transfer_costs", "plot_transfers",
    "update_costs", "plot_update_costs", "pipe_round_trip", "CountRun", "shared_count",
    "PoolRun", "pool_run", "amdahl_prediction", "plot_pool_run", "explore_pool",
    "Call", "CallLog", "Logged", "bounded", "leftover_processes", "clean_up",
]

START_METHOD_ENV = "COURSE_START_METHOD"
START_METHODS = tuple(multiprocessing.get_all_start_methods())
# Grace period for processes that are already on their way out when a call returns.
EXIT_GRACE_S = 2.0
_HOLD_POLL_S = 0.005
# Time for a Jupyter kernel to forward output written to its own stderr file descriptor.
_FORWARD_S = 0.3

# A garbage collection can run a semaphore's finalizer while this process's resource tracker
# holds its lock; Python then warns "ResourceTracker called reentrantly" (gh-109629) and sends
# the finalizer's message to the tracker all the same. nbgrader scores any stderr in a test cell
# as a failure, so that warning alone cost a correct solution a point, in about one grading run
# in four on free-threaded 3.13, whose collector runs at other moments. Hide that one warning.
warnings.filterwarnings("ignore", message="ResourceTracker called reentrantly",
                        category=UserWarning, module="multiprocessing.resource_tracker")


# --- start methods -------------------------------------------------------------------------
def start_method_from_env() -> str | None:
    """The start method ``COURSE_START_METHOD`` asks for, or None when it is unset or empty.

    Raises:
        ValueError: the variable names a method this platform does not have.
    """
    method = os.environ.get(START_METHOD_ENV, "").strip()
    if not method:
        return None
    _check_method(method, f"{START_METHOD_ENV}")
    return method


def apply_start_method_env() -> str | None:
    """Make the start method named by ``COURSE_START_METHOD`` this process's default.

    Called when this module is imported, so a lesson's setup cell (``from course import mp``)
    applies it before any process starts. Returns the method applied, or None.
    """
    method = start_method_from_env()
    if method is not None and multiprocessing.get_start_method(allow_none=True) != method:
        multiprocessing.set_start_method(method, force=True)
    return method


def context(method: str | None = None):
    """Return the multiprocessing context for *method* (default: this process's default).

    Raises:
        ValueError: *method* is not a start method of this platform.
    """
    if method is not None:
        _check_method(method, "method")
    return multiprocessing.get_context(method)


def _check_method(method, name: str) -> None:
    if method not in START_METHODS:
        raise ValueError(f"{name} must be one of {', '.join(START_METHODS)} (got {method!r})")


def _method_of(ctx) -> str:
    return ctx.get_start_method()


# --- what a worker process said --------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """How a worker process ended: its exit code and what it wrote to stderr."""

    method: str
    pid: int | None
    exitcode: int | None
    stderr: str
    seconds: float

    @property
    def error(self) -> str:
        """The last line of the traceback the process printed, or "" when it printed none."""
        return _last_error(self.stderr)

    def __str__(self) -> str:
        ending = ("still running when the wait ended" if self.exitcode is None
                  else f"exit code {self.exitcode}")
        said = f"; it said: {self.error}" if self.error else ""
        if self.exitcode and not said and self.method == "forkserver":
            said = ("; its traceback went to the forkserver's own stderr "
                    "(shown in this cell's output)")
        return f"{self.method} process {self.pid}: {ending} after {self.seconds:.2f} s{said}"

    def _repr_markdown_(self) -> str:
        return f"`{self}`"


def _last_error(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if not line.startswith(("File ", "^", "~", "Traceback"))
              and ("Error" in line.split(":")[0] or "Exception" in line.split(":")[0])]
    return errors[-1] if errors else ""


class _StderrToFile:
    """Point fd 2 and sys.stderr at a temporary file while worker processes start.

    A spawn child inherits fd 2 when it starts, a fork child also inherits ``sys.stderr``;
    either way its traceback lands in the file instead of somewhere in the notebook.
    """

    def __init__(self, method: str) -> None:
        _start_helpers(method)  # started now, they keep writing to the real stderr
        self.file = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")

    def __enter__(self) -> "_StderrToFile":
        sys.stderr.flush()
        self._saved_fd, self._saved_stream = os.dup(2), sys.stderr
        os.dup2(self.file.fileno(), 2)
        sys.stderr = self.file
        return self

    def __exit__(self, *exc) -> None:
        self.file.flush()
        os.dup2(self._saved_fd, 2)
        os.close(self._saved_fd)
        sys.stderr = self._saved_stream

    def text(self) -> str:
        self.file.flush()
        self.file.seek(0)
        text = self.file.read()
        self.file.close()
        return text


def _start_helpers(method: str) -> None:
    """Start the helper processes spawn and forkserver use, outside any stderr redirection."""
    if method in ("spawn", "forkserver"):
        from multiprocessing import resource_tracker
        resource_tracker.ensure_running()
    if method == "forkserver":
        from multiprocessing import forkserver
        forkserver.ensure_running()


def run_target(target: Callable, args: Sequence = (), method: str | None = None,
               timeout: float = 10.0) -> Outcome:
    """Run ``target(*args)`` in one new process and report how the process ended.

    Args:
        target: the function the process runs (pickled by reference under spawn/forkserver).
        args: its arguments.
        method: "fork", "spawn" or "forkserver" (default: this process's default).
        timeout: seconds to wait; a process still running then is killed.

    Returns:
        An :class:`Outcome` with the exit code (0 ok, 1 an exception, negative a signal) and
        the process's stderr. A forkserver child inherits the server's stderr, not ours, so
        its traceback is not captured: the kernel shows it as the cell's stderr instead.

    Raises:
        ValueError: unknown method or timeout not > 0.
    """
    ctx = context(method)
    _check_positive("timeout", timeout)
    capture = _StderrToFile(_method_of(ctx))
    started = time.perf_counter()
    with capture:
        process = ctx.Process(target=target, args=tuple(args), daemon=True)
        process.start()
    try:
        process.join(timeout)
    finally:
        _end(process)
    if process.exitcode and _method_of(ctx) == "forkserver":
        time.sleep(_FORWARD_S)  # let the kernel forward the server's stderr into this cell
    return Outcome(_method_of(ctx), process.pid, process.exitcode, capture.text(),
                   time.perf_counter() - started)


@dataclass(frozen=True)
class PoolProbe:
    """What happened to a ``Pool.map`` given a limited time: results or respawned workers."""

    method: str
    finished: bool
    results: list | None
    seconds: float
    workers_started: int
    errors: list[str]

    def __str__(self) -> str:
        if self.finished:
            return (f"{self.method} pool: map finished in {self.seconds:.2f} s with "
                    f"{self.workers_started} worker(s): {self.results!r}")
        said = f"; each died saying: {self.errors[-1]}" if self.errors else ""
        return (f"{self.method} pool: map still waiting after {self.seconds:.1f} s; the pool "
                f"had started {self.workers_started} workers to replace the ones that died"
                f"{said}")

    def _repr_markdown_(self) -> str:
        return f"`{self}`"


def probe_pool(func: Callable, items: Sequence, method: str | None = None, seconds: float = 3.0,
               workers: int = 2) -> PoolProbe:
    """Give ``Pool(workers).map(func, items)`` *seconds* to finish, then terminate the pool.

    A pool whose workers die (for instance, because they cannot find *func*) starts new
    ones forever and ``map`` never returns; this probe counts the workers it started and
    collects what they printed, and always terminates the pool.

    Raises:
        ValueError: unknown method, seconds not > 0 or workers < 1.
    """
    ctx = context(method)
    _check_positive("seconds", seconds)
    _check_int("workers", workers, 1)
    capture = _StderrToFile(_method_of(ctx))
    started, pids, results = time.perf_counter(), set(), None
    with capture:
        pool = ctx.Pool(workers)
        try:
            pending = pool.map_async(func, list(items))
            while time.perf_counter() - started < seconds and not pending.ready():
                pids |= {p.pid for p in list(pool._pool) if p.pid}  # workers alive right now
                time.sleep(0.02)
            pids |= {p.pid for p in list(pool._pool) if p.pid}
            finished = pending.ready()
            results = pending.get(0) if finished else None
        finally:
            pool.terminate()
            pool.join()
    errors = [line for line in (_last_error(block) for block in
                                capture.text().split("Traceback")) if line]
    return PoolProbe(_method_of(ctx), finished, results, time.perf_counter() - started,
                     len(pids), errors)


# --- scripts and the __main__ guard --------------------------------------------------------
UNGUARDED_SCRIPT = '''\
import multiprocessing
import os

def square(x):
    return x * x

print(f"module code runs as {__name__!r} in process {os.getpid()}")
ctx = multiprocessing.get_context("spawn")
child = ctx.Process(target=square, args=(3,))
child.start()
child.join()
print(f"child exit code: {child.exitcode}")
'''

GUARDED_SCRIPT = '''\
import multiprocessing
import os

def square(x):
    return x * x

print(f"module code runs as {__name__!r} in process {os.getpid()}")
if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=square, args=(3,))
    child.start()
    child.join()
    print(f"child exit code: {child.exitcode}")
'''


@dataclass(frozen=True)
class ScriptRun:
    """A script run in a fresh interpreter: its exit code and its combined output."""

    returncode: int | None
    output: str

    @property
    def error(self) -> str:
        """The first sentence of the RuntimeError the script printed, else its last error."""
        lines = self.output.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("RuntimeError"):
                words = [line.partition(":")[2].strip()]
                for more in lines[i + 1:]:
                    if not more.strip():
                        break
                    words.append(more.strip())
                sentence = " ".join(w for w in words if w).split(". ")[0].rstrip(".")
                return f"RuntimeError: {sentence}."
        return _last_error(self.output)

    def summary(self) -> str:
        """The lines the script printed itself, then its error (tracebacks left out)."""
        printed = [line for line in self.output.splitlines()
                   if line.startswith(("module code", "child exit code"))]
        return "\n".join(printed + ([f"error: {self.error}"] if self.error else []))

    def __str__(self) -> str:
        return self.output


def run_script(source: str, timeout: float = 30.0) -> ScriptRun:
    """Save *source* as a script and run it with this Python; returns its exit code and output.

    Raises:
        ValueError: timeout not > 0.
    """
    _check_positive("timeout", timeout)
    with tempfile.TemporaryDirectory(prefix="course-script-") as folder:
        path = os.path.join(folder, "script.py")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(source)
        try:
            done = subprocess.run([sys.executable, path], capture_output=True, text=True,
                                  timeout=timeout, cwd=folder, check=False)
        except subprocess.TimeoutExpired as expired:
            return ScriptRun(None, _text(expired.stdout) + _text(expired.stderr)
                             + f"\n(script did not finish within {timeout:g} s)")
    return ScriptRun(done.returncode, done.stdout + done.stderr)


def _text(data) -> str:
    return data.decode(errors="replace") if isinstance(data, bytes) else (data or "")


# --- the price of a process ----------------------------------------------------------------
def _noop() -> None:
    """A worker that does nothing: what remains is the cost of the process itself."""


def startup_costs(methods: Sequence[str] | None = None, repeats: int = 5) -> dict[str, float]:
    """Time starting and joining a do-nothing thread, then a process per start method.

    Args:
        methods: start methods to time (default: every method this platform has).
        repeats: starts per kind; the median is kept.

    Returns:
        ``{"thread": s, "fork": s, "spawn": s, ...}``: median seconds from start() to the
        end of join().

    Raises:
        ValueError: an unknown method or repeats < 1.
    """
    methods = START_METHODS if methods is None else tuple(methods)
    for method in methods:
        _check_method(method, "method")
    _check_int("repeats", repeats, 1)
    costs = {"thread": _median_start(threading.Thread, repeats)}
    for method in methods:
        _start_helpers(method)  # the forkserver's own start is not a worker's cost
        costs[method] = _median_start(context(method).Process, repeats)
    return costs


def _median_start(make: Callable, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        worker = make(target=_noop, daemon=True)
        start = time.perf_counter()
        worker.start()
        worker.join(30)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plot_startup(costs: dict[str, float], ax=None):
    """Bar chart of :func:`startup_costs` in milliseconds; the title states the finding.

    Raises:
        ValueError: *costs* is empty.
    """
    if not costs:
        raise ValueError("costs must not be empty (got {})")
    from .gantt import plot_bars
    labels = [name if name == "thread" else f"process ({name})" for name in costs]
    values = [s * 1e3 for s in costs.values()]
    return plot_bars(labels, values, title=_startup_finding(costs), unit=" ms",
                     ylabel="start + join (ms, median)", ax=ax)


def _startup_finding(costs: dict[str, float]) -> str:
    processes = {k: v for k, v in costs.items() if k != "thread"}
    if not processes:
        return f"a thread starts and ends in {_ms(costs['thread'])}"
    slow = max(processes, key=processes.get)
    text = f"a {slow} process takes {_ms(processes[slow])} to start and end"
    fast = min(processes, key=processes.get)
    if fast != slow:
        text += f", {processes[slow] / processes[fast]:.0f}x {fast}'s {_ms(processes[fast])}"
    if "thread" in costs and costs["thread"] > 0:
        text += f"; a thread: {_ms(costs['thread'])}"
    return text


def _ms(seconds: float) -> str:
    ms = seconds * 1e3
    return f"{ms:.2f} ms" if ms < 1 else f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"


def setup_note(method: str, cores: int) -> str:
    """Markdown saying what the start method and the core count mean for this lesson.

    Raises:
        ValueError: an unknown method or cores < 1.
    """
    _check_method(method, "method")
    _check_int("cores", cores, 1)
    how = {"fork": "copies of this kernel, made with fork (the Linux default up to Python 3.13)",
           "spawn": "fresh interpreters (spawn: the default on macOS and Windows)",
           "forkserver": "forks of a clean server process (forkserver: the Linux default from "
                         "Python 3.14)"}[method]
    parallel = (f"at most **{cores}** processes can compute at the same moment" if cores > 1
                else "only **one** process can compute at a time, so processes will take turns")
    return (f"This kernel starts worker processes as {how}. It may use **{cores}** core(s): "
            f"{parallel}. Every example below works under fork, spawn and forkserver; where "
            "the method changes the outcome, the cell names the method it uses.")


def chunksize_costs(func: Callable, tasks: int = 20_000, sizes: Sequence[int] = (1, 10, 100, 1000),
                    method: str | None = None, workers: int = 2) -> dict[int, float]:
    """Time ``pool.map(func, range(tasks), chunksize)`` for each chunksize on one warm pool.

    Returns:
        ``{chunksize: seconds per task}``.

    Raises:
        ValueError: tasks, workers or a chunksize < 1, or an unknown method.
    """
    _check_int("tasks", tasks, 1)
    _check_int("workers", workers, 1)
    for size in sizes:
        _check_int("chunksize", size, 1)
    with context(method).Pool(workers) as pool:
        pool.map(func, range(workers * 4))  # warm up: every worker has started
        return {size: _best(functools.partial(_map_all, pool, func, tasks, size), 1) / tasks
                for size in sizes}


def _map_all(pool, func: Callable, tasks: int, chunksize: int) -> list:
    return pool.map_async(func, range(tasks), chunksize).get(120)


def plot_chunksize(costs: dict[int, float], ax=None):
    """Bar chart of :func:`chunksize_costs` in µs per task; the title states the gain.

    Raises:
        ValueError: *costs* is empty.
    """
    if not costs:
        raise ValueError("costs must not be empty (got {})")
    from .gantt import plot_bars
    first, best = min(costs), min(costs, key=costs.get)
    title = (f"chunksize {first}: {costs[first] * 1e6:.1f} µs per task; chunksize {best}: "
             f"{costs[best] * 1e6:.2f} µs, {costs[first] / costs[best]:.0f}x less")
    return plot_bars([f"chunksize {k}" for k in costs], [v * 1e6 for v in costs.values()],
                     title=title, unit=" µs", ylabel="time per task (µs)", ax=ax)


@dataclass(frozen=True)
class Transfer:
    """Sending *megabytes* to a worker and getting a small answer back, timed."""

    megabytes: float
    pickle_s: float
    round_trip_s: float

    @property
    def ms_per_mb(self) -> float:
        return self.round_trip_s * 1e3 / self.megabytes


def transfer_costs(sizes_mb: Sequence[float] = (1, 4, 16, 32), method: str | None = None,
                   repeats: int = 3) -> list[Transfer]:
    """Time pickling a bytes argument of each size, and a pool call that only takes its len().

    The pool is started (and warmed up) first, so the times hold only what crossing the
    process boundary costs: pickling, the pipe, unpickling. The fastest of *repeats* counts.

    Raises:
        ValueError: a size not > 0, an unknown method or repeats < 1.
    """
    for size in sizes_mb:
        _check_positive("sizes_mb", size)
    _check_int("repeats", repeats, 1)
    ctx, rows = context(method), []
    with ctx.Pool(1) as pool:
        pool.apply(len, (b"",))
        for size in sizes_mb:
            data = bytes(round(size * (1 << 20)))
            pickled = _best(functools.partial(pickle.dumps, data, pickle.HIGHEST_PROTOCOL),
                            repeats)
            sent = _best(functools.partial(_send, pool, data), repeats)
            rows.append(Transfer(float(size), pickled, sent))
    return rows


def _send(pool, data: bytes) -> int:
    return pool.apply_async(len, (data,)).get(60)


def _best(fn: Callable, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def plot_transfers(rows: Sequence[Transfer], ax=None):
    """Bar chart of what sending each size to a worker cost; the title gives ms per MB.

    Raises:
        ValueError: *rows* is empty.
    """
    if not rows:
        raise ValueError("rows must not be empty (got none)")
    from .gantt import plot_bars
    biggest = max(rows, key=lambda r: r.megabytes)
    title = (f"sending {biggest.megabytes:g} MB to a worker took {_ms(biggest.round_trip_s)} "
             f"(about {biggest.ms_per_mb:.1f} ms per MB; pickling alone "
             f"{_ms(biggest.pickle_s)})")
    return plot_bars([f"{r.megabytes:g} MB" for r in rows], [r.round_trip_s * 1e3 for r in rows],
                     title=title, unit=" ms", ylabel="pool call with the argument (ms)", ax=ax)


def update_costs(updates: int = 2000, method: str | None = None) -> dict[str, float]:
    """Time one update of shared state three ways: a local dict, a Value, a Manager dict.

    Returns:
        Seconds per update, keyed "local dict", "Value + lock", "Manager dict", plus
        "Manager start" (seconds to start and stop the manager's server process).

    Raises:
        ValueError: updates < 1 or an unknown method.
    """
    _check_int("updates", updates, 1)
    ctx, local = context(method), {}
    costs = {"local dict": _per_update(lambda i: local.__setitem__(i % 64, i), updates)}
    counter = ctx.Value("i", 0)

    def bump(i: int) -> None:
        with counter.get_lock():
            counter.value += 1
    costs["Value + lock"] = _per_update(bump, updates)
    start = time.perf_counter()
    with ctx.Manager() as manager:
        shared = manager.dict()
        costs["Manager dict"] = _per_update(lambda i: shared.__setitem__(i % 64, i), updates)
    costs["Manager start"] = time.perf_counter() - start - costs["Manager dict"] * updates
    return costs


def _per_update(step: Callable[[int], None], updates: int) -> float:
    start = time.perf_counter()
    for i in range(updates):
        step(i)
    return (time.perf_counter() - start) / updates


def plot_update_costs(costs: dict[str, float], ax=None):
    """Bar chart (log scale) of the per-update costs from :func:`update_costs`, in µs.

    Raises:
        ValueError: *costs* holds no per-update cost.
    """
    per_update = {k: v for k, v in costs.items() if k != "Manager start"}
    if not per_update:
        raise ValueError("costs must hold per-update costs (got none)")
    from .gantt import plot_bars
    fast, slow = min(per_update, key=per_update.get), max(per_update, key=per_update.get)
    title = (f"one {slow} update: {per_update[slow] * 1e6:.1f} µs, "
             f"{per_update[slow] / per_update[fast]:,.0f}x a {fast} update (log scale)")
    fig = plot_bars(list(per_update), [v * 1e6 for v in per_update.values()], title=title,
                    unit=" µs", ylabel="time per update (µs)", ax=ax)
    axes = fig.axes[0] if ax is None else ax
    axes.set_yscale("log")
    axes.set_ylim(min(per_update.values()) * 1e6 / 3, max(per_update.values()) * 1e6 * 5)
    return fig


def pipe_round_trip(conn, messages: int = 1000, timeout: float = 10.0) -> float:
    """Send *messages* small messages through a Pipe end and wait for each echo.

    Args:
        conn: the parent's end of a Pipe whose other end runs ``mp_work.echo``.
        messages: round trips to make.
        timeout: seconds to wait for any one answer.

    Returns:
        Seconds per round trip.

    Raises:
        TimeoutError: an answer did not come within *timeout* (is the echo process running?).
        ValueError: messages < 1 or timeout not > 0.
    """
    _check_int("messages", messages, 1)
    _check_positive("timeout", timeout)
    start = time.perf_counter()
    for i in range(messages):
        conn.send(i)
        if not conn.poll(timeout):
            raise TimeoutError(f"no answer within {timeout:g} s to message {i}: "
                               "is the echo process running?")
        conn.recv()
    return (time.perf_counter() - start) / messages


@dataclass(frozen=True)
class CountRun:
    """A shared counter after several processes each added to it *times* times."""

    workers: int
    times: int
    got: int
    seconds: float

    @property
    def expected(self) -> int:
        return self.workers * self.times

    @property
    def lost(self) -> int:
        return self.expected - self.got

    def __str__(self) -> str:
        verdict = "nothing lost" if not self.lost else f"{self.lost} updates lost"
        return (f"{self.workers} processes x {self.times} updates: counter {self.got} of "
                f"{self.expected} ({verdict}) in {self.seconds:.2f} s")


def shared_count(worker: Callable, workers: int = 2, times: int = 200,
                 method: str | None = None, timeout: float = 30.0) -> CountRun:
    """Start *workers* processes running ``worker(counter, times)`` on one shared Value.

    Raises:
        TimeoutError: the processes did not finish within *timeout* (they are killed).
        ValueError: workers < 1, times < 0, an unknown method or timeout not > 0.
    """
    _check_int("workers", workers, 1)
    _check_int("times", times, 0)
    _check_positive("timeout", timeout)
    ctx = context(method)
    counter = ctx.Value("i", 0)
    processes = [ctx.Process(target=worker, args=(counter, times), daemon=True)
                 for _ in range(workers)]
    start = time.perf_counter()
    try:
        for process in processes:
            process.start()
        _join_all(processes, timeout)
    finally:
        for process in processes:
            _end(process)
    return CountRun(workers, times, counter.value, time.perf_counter() - start)


def _join_all(processes, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    if any(p.is_alive() for p in processes):
        raise TimeoutError(f"the processes did not finish within {timeout:g} s")


def _end(process) -> None:
    """Kill *process* if it still runs, and reap it."""
    if process.pid is not None and process.is_alive():
        process.kill()
    if process.pid is not None:
        process.join(5)


# --- pools on a timeline -----------------------------------------------------------------
@dataclass(frozen=True)
class PoolRun:
    """CPU-bound tasks run on a Pool: settings and the timeline of every worker process."""

    workers: int
    chunksize: int
    tasks: int
    task_ms: float
    method: str
    timeline: Timeline

    @property
    def wall_s(self) -> float:
        return self.timeline.wall_ns / 1e9

    @property
    def busy_s(self) -> float:
        """Seconds the workers spent inside tasks, summed over workers.

        Running or ready: a task waiting for a core (on a busy machine) is still inside the
        task, and would shrink with more free cores.
        """
        inside = (RUNNING, READY)
        return sum(s.duration_ns for s in self.timeline.segments() if s.kind in inside) / 1e9


def pool_run(workers: int = 2, tasks: int = 16, task_ms: float = 25.0, chunksize: int = 1,
             method: str | None = None, timeout: float = 60.0) -> PoolRun:
    """Run *tasks* CPU-bound tasks of about *task_ms* each on ``Pool(workers)``, recorded.

    Each task records its chunks of work (see course.workloads); the chunks of tasks that ran
    in the same worker process form that worker's lane, so the chart shows each process
    running, ready (waiting for a core) or idle, from the moment the pool was created.

    Raises:
        ValueError: workers, tasks or chunksize < 1, task_ms not > 0, or an unknown method.
        TimeoutError: the tasks did not finish within *timeout*.
    """
    for name, value in (("workers", workers), ("tasks", tasks), ("chunksize", chunksize)):
        _check_int(name, value, 1)
    _check_positive("task_ms", task_ms)
    ctx = context(method)
    plans = [plan("cpu", task_ms, f"task {i + 1}") for i in range(tasks)]
    start = time.perf_counter_ns()
    with ctx.Pool(workers) as pool:
        try:
            exports = pool.map_async(run_lane, plans, chunksize).get(timeout)
        except multiprocessing.TimeoutError:
            raise TimeoutError(f"the pool did not finish within {timeout:g} s") from None
        end = time.perf_counter_ns()
    label = f"{tasks} tasks of {task_ms:g} ms on {workers} worker(s), chunksize {chunksize}"
    timeline = Timeline.from_lanes(_lanes_by_process(exports, start), start, end, label=label)
    return PoolRun(workers, chunksize, tasks, float(task_ms), _method_of(ctx), timeline)


def _lanes_by_process(exports: list[dict], launch_ns: int) -> list[dict]:
    """Merge the lanes of tasks that ran in one process into one lane per worker process."""
    lanes: dict[int, dict] = {}
    for export in sorted(exports, key=lambda e: e["spans"][0][0] if e["spans"] else 0):
        lane = lanes.get(export["pid"])
        if lane is None:
            lane = lanes[export["pid"]] = dict(export, name=f"worker {len(lanes) + 1}",
                                               spans=[], cpu_ns=0, launch_ns=launch_ns)
        lane["spans"] = lane["spans"] + export["spans"]
        lane["cpu_ns"] += export["cpu_ns"] or 0
    return list(lanes.values())


def amdahl_prediction(baseline: PoolRun, workers: int, cores: int | None = None) -> float:
    """Amdahl's speedup over *baseline* (a 1-worker run) for *workers* on *cores*.

    The parallel fraction p is the share of the baseline's wall time spent inside tasks;
    the rest (starting the pool, handing out tasks) does not shrink with more workers.
    """
    from .amdahl import predict
    cores = usable_cores() if cores is None else cores
    p = min(1.0, baseline.busy_s / baseline.wall_s) if baseline.wall_s else 1.0
    return predict(p, workers, cores)


def plot_pool_run(run: PoolRun, baseline: PoolRun | None = None,
                  history: dict[int, float] | None = None):
    """Draw a pool run's worker lanes and, with a 1-worker *baseline*, speedup against Amdahl.

    Args:
        run: the run to draw.
        baseline: the same tasks on 1 worker: the speedup is measured against it.
        history: ``{workers: measured speedup}`` of earlier runs to plot as points.

    Returns:
        The matplotlib Figure; its title states the measured and the predicted speedup.
    """
    from matplotlib.figure import Figure

    from .gantt import plot_gantt

    fig = Figure(figsize=(11, 1.6 + 0.45 * max(run.workers, 2)), layout="constrained")
    lanes_ax, speed_ax = fig.subplots(1, 2, width_ratios=(2.3, 1))
    plot_gantt(run.timeline, ax=lanes_ax)
    lanes_ax.set_title(f"{run.workers} worker(s), chunksize {run.chunksize}: "
                       f"wall {run.wall_s:.2f} s", loc="left", fontsize="medium")
    if baseline is None:
        speed_ax.set_visible(False)
        fig.suptitle(f"{run.tasks} tasks of {run.task_ms:g} ms: wall {run.wall_s:.2f} s",
                     x=0.01, ha="left")
        return fig
    measured = baseline.wall_s / run.wall_s
    predicted = amdahl_prediction(baseline, run.workers, run.timeline.cores)
    _draw_speedups(speed_ax, baseline, run, {**(history or {}), run.workers: measured})
    fig.suptitle(f"{run.workers} worker(s) on {run.timeline.cores} cores: {measured:.2f}x "
                 f"faster than 1 worker (Amdahl predicts {predicted:.2f}x)", x=0.01, ha="left")
    return fig


def _draw_speedups(ax, baseline: PoolRun, run: PoolRun, measured: dict) -> None:
    cores = run.timeline.cores
    top = max([run.workers, cores + 1, *measured])
    ns = list(range(1, top + 1))
    ax.plot(ns, [amdahl_prediction(baseline, n, cores) for n in ns], c="#0072B2",
            label="Amdahl's prediction")
    ax.plot(list(measured), list(measured.values()), "o", c="#D55E00",
            label="measured")
    ax.axvline(cores, c="0.4", ls="--", lw=0.8, label=f"{cores} cores")
    ax.set(xlabel="workers", ylabel="speedup over 1 worker", xticks=ns,
           ylim=(0, max(cores, *measured.values()) + 0.5))
    ax.legend(fontsize="small", loc="lower right")


def explore_pool(max_workers: int | None = None, tasks: int = 16, task_ms: float = 25.0,
                 method: str | None = None):
    """Sliders for workers and chunksize that rerun :func:`pool_run` and redraw its chart.

    The same tasks on 1 worker are run once first: every speedup is measured against that
    run, and Amdahl's prediction takes its parallel fraction from it.

    Returns:
        A course.widgets SliderChart: display it; ``update(workers=4)`` does what moving the
        slider does. The text under the sliders gives the measured and predicted speedups.
    """
    import ipywidgets

    from .widgets import interactive_chart

    cores = usable_cores()
    max_workers = max_workers or min(8, 2 * cores + 2)
    _check_int("max_workers", max_workers, 1)
    baseline = pool_run(1, tasks, task_ms, 1, method)
    history: dict[int, float] = {}

    def draw(workers: int, chunksize: int):
        run = pool_run(workers, tasks, task_ms, chunksize, method)
        fig = plot_pool_run(run, baseline, history)
        history[workers] = baseline.wall_s / run.wall_s
        return fig, _pool_text(run, baseline)

    start = min(cores, max_workers)
    return interactive_chart(
        draw, workers=ipywidgets.IntSlider(value=start, min=1, max=max_workers),
        chunksize=ipywidgets.IntSlider(value=1, min=1, max=max(1, tasks // 2)))


def _pool_text(run: PoolRun, baseline: PoolRun) -> str:
    measured = baseline.wall_s / run.wall_s
    predicted = amdahl_prediction(baseline, run.workers, run.timeline.cores)
    busy = run.timeline.metrics()
    return (f"{run.tasks} tasks of {run.task_ms:g} ms, {run.workers} worker(s), chunksize "
            f"{run.chunksize}: wall {run.wall_s:.3f} s vs {baseline.wall_s:.3f} s on 1 worker, "
            f"speedup {measured:.2f}x (Amdahl: {predicted:.2f}x); at most {busy.max_running} "
            f"running at once on {run.timeline.cores} cores")


# --- who did the work ----------------------------------------------------------------------
@dataclass(frozen=True)
class Call:
    """One recorded call: which process ran it, when, and with which arguments (as JSON)."""

    pid: int
    tid: int
    start_ns: int
    end_ns: int
    args: Any
    kind: str
    clock_pair: tuple[int, int]


class Logged:
    """A picklable stand-in for *fn* that records each call in a :class:`CallLog` directory.

    It pickles by reference to this class plus *fn*, so it reaches spawn and forkserver
    workers whenever *fn* itself is importable.
    """

    def __init__(self, fn: Callable, directory: str, kind: str = RUNNING,
                 first_waits_for: int = 0, hold_s: float = 5.0) -> None:
        if not callable(fn):
            raise TypeError(f"fn must be callable (got {type(fn).__name__})")
        self.fn, self.directory, self.kind = fn, directory, kind
        self.first_waits_for, self.hold_s = first_waits_for, hold_s

    def __call__(self, *args, **kwargs):
        if self.first_waits_for and self._claim_first():
            self._wait_for_other_processes()
        start = time.perf_counter_ns()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self._record(start, time.perf_counter_ns(), args)

    def __repr__(self) -> str:
        return f"Logged({getattr(self.fn, '__qualname__', self.fn)!r})"

    def _claim_first(self) -> bool:
        """True for exactly one call across all processes: the first to create the marker."""
        try:
            os.close(os.open(os.path.join(self.directory, "first"),
                             os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return True
        except FileExistsError:
            return False

    def _wait_for_other_processes(self) -> None:
        """Hold the first call until first_waits_for calls elsewhere have finished (or hold_s)."""
        deadline, me = time.monotonic() + self.hold_s, f"call-{os.getpid()}-"
        while time.monotonic() < deadline:
            others = sum(1 for name in os.listdir(self.directory)
                         if name.startswith("call-") and not name.startswith(me))
            if others >= self.first_waits_for:
                return
            time.sleep(_HOLD_POLL_S)

    def _record(self, start_ns: int, end_ns: int, args: tuple) -> None:
        record = {"pid": os.getpid(), "tid": threading.get_native_id(), "start_ns": start_ns,
                  "end_ns": end_ns, "args": args, "kind": self.kind,
                  "clock_pair": (time.time_ns(), time.perf_counter_ns())}
        name = f"call-{os.getpid()}-{start_ns}-{uuid.uuid4().hex[:8]}.json"
        temporary = os.path.join(self.directory, f".{name}")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(record, handle, default=repr)
        os.replace(temporary, os.path.join(self.directory, name))  # readers never see half


class CallLog:
    """Record every call of wrapped functions, in whichever process runs them.

    ``log.wrap(fn)`` returns a picklable stand-in; each call writes one small file to the
    log's temporary directory, which every process (fork, spawn or forkserver) can reach.
    Use it as a context manager so the directory is removed afterwards.

    Args:
        kind: what the wrapped jobs mostly do, "running" (computing) or "waiting".
    """

    def __init__(self, kind: str = RUNNING) -> None:
        if kind not in (RUNNING, WAITING):
            raise ValueError(f"kind must be running or waiting (got {kind!r})")
        self.kind = kind
        self.directory = tempfile.mkdtemp(prefix="course-calls-")
        self.start_ns = time.perf_counter_ns()

    def wrap(self, fn: Callable, *, first_waits_for: int = 0, hold_s: float = 5.0) -> Logged:
        """Return a picklable function that calls *fn* and records each call.

        Args:
            fn: an importable function (so that spawn workers can find it).
            first_waits_for: make the first call (across all processes) wait until this many
                calls have finished in other processes. With 1, at least two processes do
                work whenever two are available. With 2, another process has also sent its
                first result back (a pool worker sends it before taking its next task), so
                the first item's result arrives after another's: order is then tested.
            hold_s: the longest the first call waits (then it runs anyway).

        Raises:
            TypeError: *fn* is not callable.
            ValueError: first_waits_for < 0 or hold_s not > 0.
        """
        _check_int("first_waits_for", first_waits_for, 0)
        _check_positive("hold_s", hold_s)
        return Logged(fn, self.directory, self.kind, first_waits_for, hold_s)

    def calls(self) -> list[Call]:
        """Every call recorded so far, in the order they started."""
        found = []
        for name in os.listdir(self.directory):
            if name.startswith("call-"):
                with open(os.path.join(self.directory, name), encoding="utf-8") as handle:
                    record = json.load(handle)
                record["clock_pair"] = tuple(record["clock_pair"])
                found.append(Call(**record))
        return sorted(found, key=lambda call: call.start_ns)

    def pids(self) -> list[int]:
        """The processes that made calls, in the order of their first call."""
        return list(dict.fromkeys(call.pid for call in self.calls()))

    def timeline(self, label: str = "") -> Timeline:
        """The recorded calls as a Timeline: one lane per process, one span per call."""
        lanes: dict[tuple[int, int], dict] = {}
        for call in self.calls():
            lane = lanes.setdefault((call.pid, call.tid), {
                "name": "this process" if call.pid == os.getpid() else f"pid {call.pid}",
                "pid": call.pid, "tid": call.tid, "spans": [], "cpu_ns": None,
                "clock_pair": call.clock_pair, "launch_ns": None, "classified": True})
            lane["spans"].append((call.start_ns, call.end_ns, call.kind))
        return Timeline.from_lanes(list(lanes.values()), self.start_ns, time.perf_counter_ns(),
                                   label=label)

    def close(self) -> None:
        """Remove the log's directory."""
        import shutil
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> "CallLog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --- nothing left running ------------------------------------------------------------------
def leftover_processes(before: set | None = None) -> list:
    """Child processes alive now that were not in *before* (default: all alive children)."""
    alive = multiprocessing.active_children()
    return [p for p in alive if before is None or p not in before]


def clean_up(before_children: set | None = None, before_pools: set | None = None) -> int:
    """Terminate pools and executors, then kill child processes, not in the *before* sets.

    Returns:
        How many child processes were still alive and had to be ended.
    """
    for pool in _live_pools():
        if before_pools is None or id(pool) not in before_pools:
            _stop_pool(pool)
    stray = leftover_processes(before_children)
    for process in stray:
        _end(process)
    return len(stray)


def _live_pools() -> list:
    """Every Pool and ProcessPoolExecutor object of this process (found by the collector)."""
    kinds = (multiprocessing.pool.Pool, ProcessPoolExecutor)
    return [obj for obj in gc.get_objects() if isinstance(obj, kinds)]


def _stop_pool(pool) -> None:
    if isinstance(pool, ProcessPoolExecutor):
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            _end(process)
        pool.shutdown(wait=False, cancel_futures=True)
    elif getattr(pool, "_state", None) == multiprocessing.pool.RUN:
        pool.terminate()  # stops the respawning of dead workers, then ends the live ones


def bounded(fn: Callable, seconds: float, /, *args, **kwargs) -> Any:
    """Call ``fn(*args, **kwargs)`` under a time limit and leave no worker process behind.

    Like :func:`course.testing.finishes_within`, plus: pools, executors and processes the call
    started are ended afterwards in every case, and a call that *returns* while processes it
    started still run fails, because the caller's joins are part of the contract.

    Returns:
        What *fn* returned.

    Raises:
        AssertionError: *fn* did not finish in time, or returned with processes still running.
        Exception: whatever *fn* raised.
    """
    before_children = set(multiprocessing.active_children())
    before_pools = {id(pool) for pool in _live_pools()}
    try:
        value = finishes_within(fn, seconds, *args, **kwargs)
    except BaseException:
        clean_up(before_children, before_pools)
        raise
    stray = _still_running(before_children)
    ended = clean_up(before_children, before_pools)
    if stray:
        names = ", ".join(f"{p.name} (pid {p.pid})" for p in stray[:4])
        raise AssertionError(
            f"{getattr(fn, '__name__', 'the function')} returned while {len(stray)} process(es) "
            f"it started were still running: {names}; they have been ended now ({ended}).\n"
            "Hint: join every process you start (after it has been told to stop), and use "
            "pools in a with block.")
    return value


def _still_running(before: set) -> list:
    deadline = time.monotonic() + EXIT_GRACE_S
    stray = leftover_processes(before)
    while stray and time.monotonic() < deadline:
        time.sleep(0.05)
        stray = leftover_processes(before)
    return stray


# --- argument checks -----------------------------------------------------------------------
def _check_int(name: str, value, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int (got {type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum} (got {value})")


def _check_positive(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number (got {type(value).__name__})")
    if not value > 0:
        raise ValueError(f"{name} must be > 0 (got {value!r})")


apply_start_method_env()  # a grading run can force a start method: see START_METHOD_ENV
