"""Python builds: what one Python is (:class:`Interpreter`), the running one, in words."""

from __future__ import annotations

import os
import platform
import sys
import sysconfig
from dataclasses import dataclass

ENV_FREETHREADED = "COURSE_FREETHREADED_PYTHON"
ENV_GIL = "COURSE_GIL_PYTHON"
ENV_PYTHONS = "COURSE_PYTHONS"
PATH_NAMES = ("python3.13t", "python3.14t", "python3.15t", "python3.13", "python3.14",
              "python3.12", "python3.11", "python3.10", "python3", "python")
MIN_VERSION = (3, 10)  # the course's requires-python
BUILD_HINT = "run `make freethreaded` (see docs/free-threaded.md)"
INSTALL_HINT = (f"{BUILD_HINT}, or install the course into that Python with "
                "`<python> -m pip install -e <course checkout>`")


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


def _identity(executable: str, prefix: str) -> tuple[str, str]:
    """Two paths are the same Python when binary and environment (venv) both match."""
    return os.path.realpath(executable), os.path.realpath(prefix) if prefix else ""
