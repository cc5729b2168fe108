"""Run an experiment under another Python and bring its timeline back.

One notebook can then put the reader's kernel next to a free-threaded build (or, from a
free-threaded kernel, next to a build with the GIL): ``find_counterpart()`` looks for the other
kind of Python, ``run_elsewhere(python, "cpu", 2)`` runs :func:`course.experiments.run` there in
a subprocess and returns an ordinary :class:`~course.experiments.Result`.

Where Pythons are looked for, in order: the variables ``COURSE_FREETHREADED_PYTHON``,
``COURSE_GIL_PYTHON`` and ``COURSE_PYTHONS`` (paths separated by ``os.pathsep``), the kernel
``make freethreaded`` builds (``FREETHREADED_VENV``, ``FREETHREADED_PREFIX``, or their defaults
under ``${XDG_CACHE_HOME:-~/.cache}/concurrency-lab``), the project's ``.venv``, then the usual
names on ``PATH``. Each candidate is asked about itself by a short subprocess; the answers are
cached for the life of the process. When nothing fits, ``describe_search()`` says what was tried.

The subprocess imports the *same* ``course`` source as this process (its directory goes first on
the child's path), so both sides run identical workloads and speak the same JSON.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import subprocess
import sys
import sysconfig
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from .experiments import Result
from .timeline import Timeline

__all__ = [
    "ENV_FREETHREADED", "ENV_GIL", "ENV_PYTHONS", "PATH_NAMES", "MIN_VERSION", "BUILD_HINT",
    "INSTALL_HINT",
    "Interpreter", "current_interpreter", "probe", "find_interpreters", "find_counterpart",
    "describe_search", "describe_build", "run_elsewhere", "time_cpu_work",
]

ENV_FREETHREADED = "COURSE_FREETHREADED_PYTHON"
ENV_GIL = "COURSE_GIL_PYTHON"
ENV_PYTHONS = "COURSE_PYTHONS"
PATH_NAMES = ("python3.13t", "python3.14t", "python3.15t", "python3.13", "python3.14",
              "python3.12", "python3.11", "python3.10", "python3", "python")
MIN_VERSION = (3, 10)  # the course's requires-python
BUILD_HINT = "run `make freethreaded` (see docs/free-threaded.md)"
INSTALL_HINT = (f"{BUILD_HINT}, or install the course into that Python with "
                "`<python> -m pip install -e <course checkout>`")
PROBE_TIMEOUT_S = 10.0  # a cold first start of a fresh build on a loaded machine takes ~1 s
_PROBE_MARK = "COURSE-PROBE "
_RESULT_MARK = "COURSE-RESULT "
_CHILD_CODE = "from course.interpreters import _child_main; _child_main()"
_SPIN_CODE = "from course.interpreters import _child_spin; _child_spin()"
# Runs on any Python 3 (and 2.7), so even a too-old interpreter can say what it is.
_PROBE_CODE = r'''
import json, platform, sys, sysconfig
info = {"version": platform.python_version(), "implementation": platform.python_implementation(),
        "free_threaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "gil_enabled": bool(getattr(sys, "_is_gil_enabled", lambda: True)()),
        "executable": sys.executable, "prefix": sys.prefix, "course_error": ""}
try:
    import course
except Exception as exc:
    info["course_error"] = "%s: %s" % (type(exc).__name__, exc)
print("COURSE-PROBE " + json.dumps(info))
'''


@dataclass(frozen=True)
class Interpreter:
    """A Python found on this machine and what it said about itself."""

    path: str
    version: str
    free_threaded: bool
    gil_enabled: bool
    has_course: bool
    implementation: str = "CPython"
    prefix: str = ""
    found_by: str = ""
    course_error: str = ""

    @property
    def label(self) -> str:
        """A few words for prose and chart titles, e.g. "CPython 3.11.7 with the GIL"."""
        return describe_build(self)

    @property
    def is_current(self) -> bool:
        """True when this is the Python running this code (same binary and environment)."""
        return _identity(self.path, self.prefix) == _identity(sys.executable, sys.prefix)


def describe_build(interpreter: Interpreter | None = None) -> str:
    """Describe a Python build in a few words.

    Args:
        interpreter: the Python to describe; by default the one running this code.

    Returns:
        "CPython 3.11.7 with the GIL", "CPython 3.13.5 free-threaded (GIL disabled)" or
        "CPython 3.13.5 free-threaded build with the GIL re-enabled".
    """
    it = current_interpreter() if interpreter is None else interpreter
    name = f"{it.implementation} {it.version}"
    if not it.free_threaded:
        return f"{name} with the GIL"
    if it.gil_enabled:
        return f"{name} free-threaded build with the GIL re-enabled"
    return f"{name} free-threaded (GIL disabled)"


def current_interpreter() -> Interpreter:
    """Describe the Python running this code, without starting a subprocess."""
    probe_gil = getattr(sys, "_is_gil_enabled", None)
    return Interpreter(
        path=sys.executable, version=platform.python_version(),
        free_threaded=bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        gil_enabled=True if probe_gil is None else bool(probe_gil()), has_course=True,
        implementation=platform.python_implementation(), prefix=sys.prefix,
        found_by="this process")


# --- asking one Python about itself ---------------------------------------------------------
_cache: dict[tuple[str, str | None], Interpreter | Exception] = {}
_cache_lock = threading.Lock()  # protects _cache: probes may run from several threads


def probe(path: str | os.PathLike, *, timeout: float = PROBE_TIMEOUT_S,
          found_by: str = "") -> Interpreter:
    """Ask the Python at *path* (or a command name on PATH) what it is; cached per process.

    Args:
        path: an interpreter's path, or a name such as "python3.13t" looked up on PATH.
        timeout: seconds to wait for its answer.
        found_by: where the path came from, kept on the result for reports.

    Returns:
        An Interpreter whose ``path`` is the executable the Python reported.

    Raises:
        TypeError: *path* is neither a string nor a path.
        ValueError: nothing executable at *path*.
        RuntimeError: it ran but did not answer as a Python does.
        TimeoutError: it did not answer within *timeout* seconds.
    """
    resolved = _resolve_path(path)
    key = (resolved, os.environ.get("PYTHON_GIL"))  # PYTHON_GIL changes the answer
    with _cache_lock:
        known = _cache.get(key)
    if known is None:
        try:
            known = _probe_uncached(resolved, timeout)
        except RuntimeError as exc:  # a slow answer (TimeoutError) may come next time
            known = exc
        with _cache_lock:
            _cache[key] = known
    if isinstance(known, Exception):
        raise known
    return replace(known, found_by=found_by or known.found_by)


def _resolve_path(path: str | os.PathLike) -> str:
    text = os.fspath(path) if isinstance(path, (str, os.PathLike)) else None
    if not isinstance(text, str):
        raise TypeError(f"interpreter must be an Interpreter, a path or a command name "
                        f"(got {type(path).__name__})")
    if not text:
        raise ValueError("interpreter must be a path or a command name (got '')")
    if os.sep not in text and not (os.altsep and os.altsep in text):
        import shutil
        found = shutil.which(text)
        if found is None:
            raise ValueError(f"no interpreter named {text!r} on PATH")
        text = found
    text = os.path.abspath(os.path.expanduser(text))
    if not os.path.isfile(text):
        raise ValueError(f"no interpreter at {text}: the file does not exist")
    if not os.access(text, os.X_OK):
        raise ValueError(f"cannot run {text}: the file is not executable")
    return text


def _probe_uncached(path: str, timeout: float) -> Interpreter:
    out, err, code = _communicate([path, "-c", _PROBE_CODE], _child_env(), timeout,
                                  f"{path} (asked what it is)")
    info = _marked_json(out, _PROBE_MARK)
    if info is None:
        raise RuntimeError(f"{path} did not answer as a Python does (exit code {code}): "
                           f"{_gist(err or out)}")
    version = info["version"]
    too_old = tuple(int(p) for p in version.split(".")[:2] if p.isdigit()) < MIN_VERSION
    error = (f"the course needs Python {'.'.join(map(str, MIN_VERSION))} or newer"
             if too_old else info["course_error"])
    return Interpreter(
        path=info["executable"] or path, version=version,
        free_threaded=info["free_threaded"], gil_enabled=info["gil_enabled"],
        has_course=not error, implementation=info["implementation"], prefix=info["prefix"],
        course_error=error)


def _clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


# --- searching --------------------------------------------------------------------------------
def find_interpreters(*, refresh: bool = False) -> list[Interpreter]:
    """Find the Pythons this machine offers, in search order, one per build and environment.

    Args:
        refresh: forget earlier answers and ask every candidate again.

    Returns:
        Every candidate that answered, whether or not it can import the course
        (see ``has_course``); the running Python is included when a candidate names it.
    """
    if refresh:
        _clear_cache()
    return _search()[0]


def find_counterpart(*, require_course: bool = True) -> Interpreter | None:
    """Find a Python whose GIL state differs from this one's: free-threaded from a GIL kernel,
    or one with the GIL from a free-threaded kernel.

    Args:
        require_course: accept only a Python that can import the course (needed to run
            experiments there).

    Returns:
        The first such Python in search order, or None: ``describe_search()`` then says why.
    """
    want_gil = not current_interpreter().gil_enabled
    for path, found_by in _candidates():
        try:
            found = probe(path, found_by=found_by)
        except (ValueError, RuntimeError, TimeoutError):
            continue
        if found.gil_enabled == want_gil and (found.has_course or not require_course):
            return found
    return None


def describe_search() -> str:
    """Say, in lines a person reads, which Pythons were found and which candidates were not
    usable, with a hint when no free-threaded Python turned up."""
    found, problems = _search()
    lines = ["Pythons found:"] if found else ["No Python answered."]
    for it in found:
        notes = [it.found_by] + (["this kernel"] if it.is_current else [])
        if not it.has_course:
            notes.append(f"cannot import the course: {it.course_error}")
        lines.append(f"  {it.label}: {it.path} ({'; '.join(notes)})")
    if problems:
        lines.append("Not usable:")
        lines += [f"  {found_by}: {reason}" for found_by, reason in problems]
    if not any(it.free_threaded and not it.gil_enabled for it in found):
        lines.append(f"No free-threaded Python found: {BUILD_HINT}, "
                     f"or set {ENV_FREETHREADED} to one.")
    return "\n".join(lines)


def _search() -> tuple[list[Interpreter], list[tuple[str, str]]]:
    from concurrent.futures import ThreadPoolExecutor
    candidates = _candidates()
    with ThreadPoolExecutor(max_workers=8) as pool:  # each probe mostly waits on a child
        answers = list(pool.map(_try_probe, candidates))
    found, problems, seen = [], [], set()
    for (_, found_by), answer in zip(candidates, answers):
        if isinstance(answer, Exception):
            problems.append((found_by, str(answer)))
        elif _identity(answer.path, answer.prefix) not in seen:
            seen.add(_identity(answer.path, answer.prefix))
            found.append(answer)
    return found, problems


def _try_probe(candidate: tuple[str, str]) -> Interpreter | Exception:
    path, found_by = candidate
    try:
        return probe(path, found_by=found_by)
    except (ValueError, RuntimeError, TimeoutError) as exc:
        return exc


def _candidates() -> list[tuple[str, str]]:
    """(path, where it came from) in search order, without repeats."""
    found: list[tuple[str, str]] = []
    for name in (ENV_FREETHREADED, ENV_GIL, ENV_PYTHONS):
        for value in os.environ.get(name, "").split(os.pathsep):
            if value.strip():
                found.append((value.strip(), f"${name}"))
    found += [(str(path), label) for path, label in _known_locations() if path.exists()]
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        for name in PATH_NAMES:
            path = os.path.join(folder or os.curdir, name)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                found.append((path, f"{name} on PATH"))
    unique, seen = [], set()
    for path, label in found:
        key = os.path.abspath(os.path.expanduser(path)) if os.sep in path else path
        if key not in seen:
            seen.add(key)
            unique.append((path, label))
    return unique


def _known_locations() -> list[tuple[Path, str]]:
    """Where `make freethreaded` puts its Pythons, and the project's own venv."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "concurrency-lab"
    prefix = Path(os.environ.get("FREETHREADED_PREFIX") or cache / "python3.13t")
    venv = Path(os.environ.get("FREETHREADED_VENV") or prefix.parent / "venv-ft")
    places = [(_venv_python(venv), "the free-threaded kernel's venv"),
              (prefix / "bin" / "python3.13t", "the free-threaded build")]
    root = _course_root()
    if root is not None:
        places.append((_venv_python(Path(root) / ".venv"), "the project's .venv"))
    return places


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _identity(executable: str, prefix: str) -> tuple[str, str]:
    """Two paths are the same Python when binary and environment (venv) both match."""
    return os.path.realpath(executable), os.path.realpath(prefix) if prefix else ""


# --- running an experiment there ---------------------------------------------------------------
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


# --- subprocess plumbing ----------------------------------------------------------------------
def _course_root() -> str | None:
    """The directory holding this course package, when it is a source checkout.

    An installed copy (site-packages) is not put on another Python's path: that directory
    also holds compiled packages built for this Python only.
    """
    root = Path(__file__).resolve().parent.parent
    return None if root.name in ("site-packages", "dist-packages") else str(root)


def _child_env(gil: bool | None = None) -> dict[str, str]:
    env = dict(os.environ)
    root = _course_root()
    if root is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    if gil is not None:
        env["PYTHON_GIL"] = "1" if gil else "0"
    return env


def _communicate(argv: list[str], env: dict, timeout: float, what: str) -> tuple[str, str, int]:
    """Run argv to completion; on timeout kill its whole process group (workers included)."""
    try:
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=env, cwd=_course_root(), start_new_session=os.name == "posix")
    except OSError as exc:
        raise ValueError(f"cannot run {argv[0]}: {exc.strerror or exc}") from None
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise TimeoutError(f"{what} did not finish within {timeout:g} s") from None
    except BaseException:  # KeyboardInterrupt in a notebook: leave nothing running
        _kill(process)
        raise
    return out, err, process.returncode


def _kill(process: subprocess.Popen) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)  # its own session: the group is its pid
        else:
            process.kill()
    except ProcessLookupError:
        pass
    try:
        process.communicate(timeout=5)
    except subprocess.TimeoutExpired:  # a grandchild left the group and holds the pipes
        pass


def _marked_json(text: str, mark: str):
    for line in reversed(text.splitlines()):
        if line.startswith(mark):
            try:
                return json.loads(line[len(mark):])
            except ValueError:
                return None
    return None


def _gist(text: str) -> str:
    """The first and last non-empty lines: what a shim or a traceback says it is about."""
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    if not kept:
        return "no output"
    return kept[0] if len(kept) == 1 else f"{kept[0]} ... {kept[-1]}"


# --- the child's side --------------------------------------------------------------------------
def _child_main() -> None:
    """Entry point in the other Python: run the requested experiment, print it as JSON."""
    request = json.loads(sys.argv[1])
    try:
        from .experiments import run
        result = run(request["workload"], request["workers"], request["backend"],
                     timeout=request["timeout"], **request["options"])
        reply = {"build": _build_fields(), "result": _export(result)}
    except Exception as exc:  # relayed to the parent, which raises it there
        reply = {"error": {"type": type(exc).__name__, "message": str(exc)}}
    print(_RESULT_MARK + json.dumps(reply), flush=True)


def _child_spin() -> None:
    """Entry point in the other Python: best time of spin(n) over r runs, printed."""
    import time

    from .workloads import spin
    iterations, repeats = int(sys.argv[1]), int(sys.argv[2])
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        spin(iterations)
        best = min(best, time.perf_counter() - start)
    print(_RESULT_MARK + json.dumps(best), flush=True)


def _build_fields() -> dict:
    here = current_interpreter()
    return {"version": here.version, "implementation": here.implementation,
            "free_threaded": here.free_threaded, "gil_enabled": here.gil_enabled}


def _export(result: Result) -> dict:
    timeline = result.timeline
    return {"workload": result.workload, "backend": result.backend, "workers": result.workers,
            "start_method": result.start_method, "size_ms": result.size_ms,
            "switch_interval": result.switch_interval, "label": timeline.label,
            "cores": timeline.cores, "wall_ns": timeline.wall_ns,
            "lanes": [_relative(lane, timeline.start_ns) for lane in timeline.lanes]}


def _relative(lane: dict, start_ns: int) -> dict:
    """A lane with its times counted from the window's start, so no clock needs aligning."""
    launch = lane.get("launch_ns")
    return {**lane, "spans": [(s - start_ns, e - start_ns, k) for s, e, k in lane["spans"]],
            "launch_ns": None if launch is None else launch - start_ns, "clock_pair": None}
