"""Where Pythons are looked for, in order, and what was found (or why not)."""

from __future__ import annotations

import os
from pathlib import Path

from .builds import (BUILD_HINT, ENV_FREETHREADED, ENV_GIL, ENV_PYTHONS, PATH_NAMES, Interpreter,
                     _identity, current_interpreter)
from .plumbing import _course_root
from .probing import _clear_cache, probe


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
