"""Asking one Python about itself in a short subprocess; answers cached for the process."""

from __future__ import annotations

import os
import threading
from dataclasses import replace

from .builds import MIN_VERSION, Interpreter
from .plumbing import _child_env, _communicate, _gist, _marked_json

PROBE_TIMEOUT_S = 10.0  # a cold first start of a fresh build on a loaded machine takes ~1 s
_PROBE_MARK = "COURSE-PROBE "
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
