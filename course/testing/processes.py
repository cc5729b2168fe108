"""Graded tests of code that starts processes: bounded, nothing left running, context checked.

- :func:`processes_end_within` calls the student's function under a time limit, like
  :func:`~course.testing.finishes_within`, and then ends every pool, executor and process the
  call left behind (a hanging spawn pool costs seconds, not the notebook). A call that *returns*
  while processes it started still run fails: joining them is part of the contract.
- :class:`WatchedContext` is a multiprocessing context that notes what it is asked to make, so a
  test can tell that the context it passed was really used (a pool of the default context would
  pass every other test on a machine whose default happens to work).
- :func:`fresh_context` gives the context graded tests run students' code under: its children
  start without this process's memory (forkserver, or spawn where there is none), so a function
  defined in a notebook fails there as it would on macOS, Windows or Python 3.14.
- :func:`meet_in_lane` is a worker for tests of students' own recorded processes: it waits at a
  barrier inside a "wait" span, so a timeline proves the processes were alive at the same time.

Only the standard library ends processes here: ``Pool.terminate``, executor shutdown,
``Process.kill`` and ``join``, each on what this process started.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable

from .._validate import check_callable, check_seconds, name_of
from ..start_methods import check_start_method
from ..timeline import Lane
from .bounds import finishes_within

__all__ = ["processes_end_within", "fresh_context", "WatchedContext", "meet_in_lane"]

# Grace period for processes that are already on their way out when a call returns.
EXIT_GRACE_S = 2.0
# What a WatchedContext notes when asked: everything that starts or connects processes.
WATCHED = ("Process", "Pool", "Queue", "SimpleQueue", "JoinableQueue", "Pipe", "Value",
           "Array", "Manager", "Lock", "Barrier", "Event")
_JOIN_S = 5.0
_MEET_S = 5.0
_TOGETHER_S = 0.2
# The hint of assert_asked when the test gives none.
_CONTEXT_HINT = ("make the processes from the context you were given, e.g. "
                 "context.Pool(workers) or context.Process(...), not from the "
                 "multiprocessing module.")


def processes_end_within(fn: Callable, seconds: float, /, *args, **kwargs) -> Any:
    """Call ``fn(*args, **kwargs)`` within *seconds*, then end any process it left behind.

    Args:
        fn: the function to call (usually the student's).
        seconds: the time limit, > 0.

    Returns:
        What *fn* returned.

    Raises:
        AssertionError: *fn* did not finish in time (the message says where it was stuck), or
            it returned while processes it started were still running (they are ended).
        Exception: whatever *fn* raised, unchanged.
        TypeError, ValueError: *fn* is not callable or *seconds* is not a number > 0.
    """
    check_callable("fn", fn)
    check_seconds("seconds", seconds)
    children = set(multiprocessing.active_children())
    pools = {id(pool) for pool in _live_pools()}
    try:
        value = finishes_within(fn, seconds, *args, **kwargs)
    except BaseException:
        _end_new(children, pools)
        raise
    stray = _still_running(children)
    ended = _end_new(children, pools)
    if stray:
        names = ", ".join(f"{p.name} (pid {p.pid})" for p in stray[:4])
        raise AssertionError(
            f"{name_of(fn)} returned while {len(stray)} process(es) it started were still "
            f"running: {names}; they have been ended now ({ended}).\n"
            "Hint: join every process you start (after it has been told to stop), and use "
            "pools in a with block.")
    return value


def _still_running(before: set) -> list:
    """New children still alive after the grace period."""
    deadline = time.monotonic() + EXIT_GRACE_S
    stray = _new_children(before)
    while stray and time.monotonic() < deadline:
        time.sleep(0.05)
        stray = _new_children(before)
    return stray


def _new_children(before: set) -> list:
    return [p for p in multiprocessing.active_children() if p not in before]


def _end_new(children: set, pools: set) -> int:
    """Stop pools and executors, then kill child processes, that were not there before."""
    for pool in _live_pools():
        if id(pool) not in pools:
            _stop_pool(pool)
    stray = _new_children(children)
    for process in stray:
        _end(process)
    return len(stray)


def _live_pools() -> list:
    """Every Pool and ProcessPoolExecutor of this process (found by the garbage collector)."""
    kinds = (multiprocessing.pool.Pool, ProcessPoolExecutor)
    return [obj for obj in gc.get_objects() if isinstance(obj, kinds)]


def _stop_pool(pool) -> None:
    if isinstance(pool, ProcessPoolExecutor):
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            _end(process)
        pool.shutdown(wait=False, cancel_futures=True)
    elif getattr(pool, "_state", None) == multiprocessing.pool.RUN:
        pool.terminate()  # stops the respawning of dead workers, then ends the live ones


def _end(process) -> None:
    """Kill *process* if it still runs, and reap it."""
    if process.pid is not None and process.is_alive():
        process.kill()
    if process.pid is not None:
        process.join(_JOIN_S)


def fresh_context(*preload: str):
    """A context whose children start without this process's memory: forkserver, else spawn.

    A forkserver child is a fork of a server that started as a fresh interpreter, so it must
    import what it runs, exactly like a spawn child, but it starts in milliseconds. When the
    server has not started yet, it is asked to import ``course`` and *preload* (module names,
    e.g. the lesson's worker module) once, so its children need not import them again.

    Returns:
        The forkserver context where the platform has one, else the spawn context.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    if getattr(forkserver._forkserver, "_forkserver_pid", None) is None:  # not started yet
        context.set_forkserver_preload(["course", *preload])
    return context


class WatchedContext:
    """A multiprocessing context that notes each Process, Pool, Queue, ... it is asked for.

    Everything else is the real context's: pass it wherever a context goes
    (``context.Pool(2)``, ``ProcessPoolExecutor(mp_context=context)``).

    Args:
        method: "fork", "spawn" or "forkserver" (default: the platform's default), or a
            context, e.g. :func:`fresh_context`'s.

    Attributes:
        asked: the names asked for, in order, e.g. ``["Queue", "Process", "Process"]``.

    Raises:
        ValueError: *method* is not a start method of this platform.
    """

    def __init__(self, method=None) -> None:
        if isinstance(method, multiprocessing.context.BaseContext):
            self._context = method
        else:
            check_start_method("method", method)
            self._context = multiprocessing.get_context(method)
        self.asked: list[str] = []
        self._lock = threading.Lock()  # protects self.asked (executors start from threads)

    def __getattr__(self, name: str):
        value = getattr(self._context, name)
        if name not in WATCHED or not callable(value):
            return value

        def noted(*args, **kwargs):
            with self._lock:
                self.asked.append(name)
            return value(*args, **kwargs)
        return noted

    def __repr__(self) -> str:
        return f"<WatchedContext {self._context.get_start_method()!r}>"

    def assert_asked(self, *names: str, hint: str | None = None) -> None:
        """Check that the context was asked for at least one of *names* (e.g. "Pool", "Process").

        Raises:
            AssertionError: it was asked for none of them.
        """
        if not any(name in self.asked for name in names):
            wanted = " or ".join(names)
            seen = ", ".join(dict.fromkeys(self.asked)) or "nothing"
            raise AssertionError(
                f"the {self._context.get_start_method()} context passed as `context` was never "
                f"asked for a {wanted} (it was asked for: {seen}).\n"
                f"Hint: {hint or _CONTEXT_HINT}")


def meet_in_lane(lanes, name: str, barrier) -> None:
    """Wait at *barrier*, then a little longer, inside a "wait" span of ``Lane(name)``; then
    put the lane on *lanes*.

    A worker with the signature ``work(lanes, name, job)`` for tests that pass a Barrier as the
    job: the lanes of processes that were alive together all wait during the extra pause
    after the barrier opens, so they overlap by far more than any error in aligning clocks.

    Raises:
        threading.BrokenBarrierError: the other parties did not arrive within 5 s.
    """
    lane = Lane(name)
    with lane.span("wait"):
        barrier.wait(_MEET_S)
        time.sleep(_TOGETHER_S)
    lanes.put(lane.close().export())
