"""The subprocess under another Python: its environment, a time-out that kills its whole
group, and the marked JSON line it answers with."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

# The child prints its answer on a line starting with this mark (anything else is noise).
_RESULT_MARK = "COURSE-RESULT "


def _course_root() -> str | None:
    """The directory holding this course package, when it is a source checkout.

    An installed copy (site-packages) is not put on another Python's path: that directory
    also holds compiled packages built for this Python only.
    """
    root = Path(__file__).resolve().parents[2]  # .../<root>/course/_interpreters/plumbing.py
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
