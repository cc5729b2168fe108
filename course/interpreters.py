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

Built from small modules in ``course/_interpreters/`` (builds, probing, search, running, child,
plumbing); this module is where every name is imported from.
"""

from __future__ import annotations

from ._interpreters.builds import (BUILD_HINT, ENV_FREETHREADED, ENV_GIL, ENV_PYTHONS,
                                   INSTALL_HINT, MIN_VERSION, PATH_NAMES, Interpreter,
                                   current_interpreter, describe_build)
from ._interpreters.probing import PROBE_TIMEOUT_S as PROBE_TIMEOUT_S
from ._interpreters.probing import probe
from ._interpreters.running import run_elsewhere, time_cpu_work
from ._interpreters.search import describe_search, find_counterpart, find_interpreters

__all__ = [
    "ENV_FREETHREADED", "ENV_GIL", "ENV_PYTHONS", "PATH_NAMES", "MIN_VERSION", "BUILD_HINT",
    "INSTALL_HINT",
    "Interpreter", "current_interpreter", "probe", "find_interpreters", "find_counterpart",
    "describe_search", "describe_build", "run_elsewhere", "time_cpu_work",
]
