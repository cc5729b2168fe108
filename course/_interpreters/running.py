"""Running an experiment (or a timed loop) under another Python and bringing it back."""

from __future__ import annotations

import json
import os
from dataclasses import replace

from ..experiments import Result
from ..timeline import Timeline
from .builds import INSTALL_HINT, Interpreter, current_interpreter
from .plumbing import _RESULT_MARK, _child_env, _communicate, _gist, _marked_json
from .probing import probe

_CHILD_CODE = "from course._interpreters.child import _child_main; _child_main()"
_SPIN_CODE = "from course._interpreters.child import _child_spin; _child_spin()"


def run_elsewhere(interpreter: Interpreter | str | os.PathLike, workload: str = "cpu",
                  workers: int = 4, backend: str = "threads", *,
                  start_method: str | None = None, size_ms: float | None = None,
                  switch_interval: float | None = None, gil: bool | None = None,
                  timeout: float = 60.0) -> Result:
    """Run :func:`course.experiments.run` under another Python and return its Result.

    The timeline comes back relative to the run's start (no clocks to align) and is
    labelled with the build it ran on, e.g. "CPython 3.13.5 free-threaded (GIL disabled):
    2 x cpu (threads)". Arguments are those of ``experiments.run``, checked by the child,
    so errors read the same.

    Args:
        interpreter: an Interpreter from the find functions, or a path or command name.
        workload, workers, backend, start_method, size_ms, switch_interval: as for run().
        gil: on a free-threaded build, True switches the GIL back on for this run
            (``PYTHON_GIL=1``) and False keeps it off; None leaves the default.
        timeout: seconds the whole call may take, interpreter start-up included.

    Returns:
        A Result whose timeline's lanes carry the other process's pids and thread ids.

    Raises:
        ValueError: no interpreter there, gil=False on a build with a GIL, or a bad argument.
        TypeError: an argument of the wrong type.
        RuntimeError: the course cannot be imported there (the message says how to fix
            it), or the child failed.
        TimeoutError: the child did not finish within *timeout* seconds.
    """
    if not (isinstance(timeout, (int, float)) and timeout > 0):
        raise ValueError(f"timeout must be > 0 seconds (got {timeout!r})")
    target = interpreter if isinstance(interpreter, Interpreter) else probe(interpreter)
    _check_usable(target, gil)
    request = {"workload": workload, "workers": workers, "backend": backend, "timeout": timeout,
               "options": {"start_method": start_method, "size_ms": size_ms,
                           "switch_interval": switch_interval}}
    reply = _ask(target, [_CHILD_CODE, json.dumps(request)], gil, timeout,
                 f"{target.path} running {workers} x {workload} ({backend})")
    return _rebuild(reply, target)


def time_cpu_work(interpreter: Interpreter | str | os.PathLike | None = None,
                  iterations: int = 1_000_000, repeats: int = 3, *,
                  timeout: float = 60.0) -> float:
    """Time a fixed amount of pure-Python work (``workloads.spin``) on one thread.

    Experiments size their work in milliseconds, calibrated per interpreter, so their wall
    times cannot show that one build runs Python code slower than another; this can.

    Args:
        interpreter: where to run it; by default the Python running this code.
        iterations: loop iterations of ``spin``.
        repeats: runs to take the best of.
        timeout: seconds the whole call may take.

    Returns:
        The best time of *repeats* runs, in seconds.

    Raises:
        ValueError: iterations or repeats < 1, or no interpreter there.
        RuntimeError, TimeoutError: as for run_elsewhere.
    """
    if iterations < 1 or repeats < 1:
        raise ValueError(f"iterations and repeats must be >= 1 (got {iterations}, {repeats})")
    if interpreter is None:
        interpreter = current_interpreter()
    target = interpreter if isinstance(interpreter, Interpreter) else probe(interpreter)
    _check_usable(target, None)
    argv = [_SPIN_CODE, str(int(iterations)), str(int(repeats))]
    return float(_ask(target, argv, None, timeout, f"{target.path} timing spin({iterations})"))


def _check_usable(target: Interpreter, gil: bool | None) -> None:
    if not target.has_course:
        raise RuntimeError(f"{target.path} cannot import the course "
                           f"({target.course_error or 'unknown reason'}): {INSTALL_HINT}")
    if gil is False and not target.free_threaded:
        raise ValueError(f"gil=False needs a free-threaded build (got {target.label} "
                         f"at {target.path})")


def _ask(target: Interpreter, args: list[str], gil: bool | None, timeout: float, what: str):
    """Run ``target -c args...`` and return the JSON after the result mark, or raise."""
    out, err, code = _communicate([target.path, "-c", *args], _child_env(gil), timeout, what)
    reply = _marked_json(out, _RESULT_MARK)
    if reply is None:
        if "No module named 'course'" in err:
            raise RuntimeError(f"{target.path} cannot import the course: {INSTALL_HINT}")
        raise RuntimeError(f"{target.path} exited with code {code} without a result: "
                           f"{_gist(err or out)}")
    if isinstance(reply, dict) and "error" in reply:
        raise _relayed(reply["error"], target.path)
    return reply


def _relayed(error: dict, path: str) -> Exception:
    """The child's exception, re-raised here with the same type where that is a plain one."""
    kinds = {"ValueError": ValueError, "TypeError": TypeError, "TimeoutError": TimeoutError}
    kind = kinds.get(error["type"])
    if kind is not None:
        return kind(error["message"])
    return RuntimeError(f"{path} failed: {error['type']}: {error['message']}")


def _rebuild(reply: dict, target: Interpreter) -> Result:
    """Turn the child's JSON back into a Result on a window starting at 0."""
    built = replace(target, **reply["build"])
    data = reply["result"]
    lanes = [dict(lane, spans=[tuple(span) for span in lane["spans"]]) for lane in data["lanes"]]
    # clock_pair is None on every lane, so from_lanes shifts nothing; it only checks the window.
    timeline = Timeline.from_lanes(lanes, start_ns=0, end_ns=data["wall_ns"],
                                   label=f"{built.label}: {data['label']}")
    timeline.cores = data["cores"]
    return Result(data["workload"], data["backend"], data["workers"], data["start_method"],
                  data["size_ms"], data["switch_interval"], timeline, timeline.metrics())
