"""GIL vs free-threaded: the same CPU-bound threads on this kernel's Python and on the other kind
of build, found on this machine by ``course.interpreters`` and run there in a subprocess.

Every run is an ordinary ``course.run`` Result (its timeline recorded by ``course.Recorder``),
whichever Python made it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Sequence

from ..._validate import check_int, check_seconds
from ...experiments import run

__all__ = ["BuildRuns", "SPIN_ITERATIONS", "SPIN_REPEATS", "compare_builds", "time_builds"]

SPIN_ITERATIONS = 1_000_000  # the fixed loop timed on one thread: tens of ms on either build
SPIN_REPEATS = 5  # best of 5: a busy machine slows some runs, rarely all of them


@dataclass
class BuildRuns:
    """CPU-bound thread runs on one Python build: this kernel's, or another in a subprocess.

    Attributes:
        interpreter: the ``course.interpreters.Interpreter`` they ran on.
        here: True for the Python running this kernel.
        runs: ``{threads: Result}``.
        spin_s: seconds one thread took for a fixed loop (:func:`time_builds` fills it in).
        problem: why this build could not run (then ``runs`` is empty), else "".
    """

    interpreter: object
    here: bool
    runs: dict = field(default_factory=dict)
    spin_s: float | None = None
    problem: str = ""

    @property
    def label(self) -> str:
        """The build in a few words, e.g. "CPython 3.11.7 with the GIL, this kernel"."""
        return self.interpreter.label + (", this kernel" if self.here else "")

    @property
    def gil(self) -> bool:
        """True when this build ran with the GIL."""
        return self.interpreter.gil_enabled


def compare_builds(other, workers: Sequence[int] = (1, 2, 4), size_ms: float = 60.0,
                   timeout: float = 10.0) -> list[BuildRuns]:
    """Run the same CPU-bound threads here and on *other*, once per thread count.

    Args:
        other: an Interpreter with the other GIL state (``interpreters.find_counterpart()``),
            or None to run here only.
        workers: thread counts to run, e.g. (1, 2, 4).
        size_ms: milliseconds of pure-Python work per thread, calibrated on each build.
        timeout: seconds all runs on *other* may take together, start-ups included (a
            lesson cell must end well within nbgrader's 30 s per cell, even on a busy machine).

    Returns:
        One BuildRuns per build, the one with the GIL first. A build that failed to run
        keeps the reason in ``problem`` and no runs.

    Raises:
        TypeError, ValueError: workers is empty or holds a count below 1, or size_ms or
            timeout is not > 0.
    """
    from ...interpreters import current_interpreter, run_elsewhere

    counts = _thread_counts(workers)
    check_seconds("size_ms", size_ms)
    check_seconds("timeout", timeout)
    builds = [BuildRuns(current_interpreter(), True,
                        {n: run("cpu", n, "threads", size_ms=size_ms) for n in counts})]
    if other is not None:
        there, deadline = BuildRuns(other, False), time.monotonic() + timeout
        try:
            for n in counts:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"the runs on {other.path} took over {timeout:g} s")
                there.runs[n] = run_elsewhere(other, "cpu", n, size_ms=size_ms, timeout=left)
        except (RuntimeError, TimeoutError) as error:  # a broken install, a stuck machine
            there.problem, there.runs = str(error), {}
        builds.append(there)
    return sorted(builds, key=lambda build: not build.gil)


def _thread_counts(workers) -> list[int]:
    if not isinstance(workers, (list, tuple, range)) or not workers:
        raise ValueError(f"workers must be a non-empty sequence of thread counts (got {workers!r})")
    for n in workers:
        check_int("thread counts", n, 1)
    return sorted(set(workers))


def time_builds(builds: Sequence[BuildRuns], iterations: int = SPIN_ITERATIONS,
                repeats: int = SPIN_REPEATS, timeout: float = 5.0) -> None:
    """Time the same fixed loop on one thread of each build (``interpreters.time_cpu_work``).

    Sets each build's ``spin_s``; a build that cannot run keeps None and notes why. Each
    build gets *timeout* seconds, its interpreter's start-up included.
    """
    from ...interpreters import time_cpu_work

    for build in builds:
        if build.problem:
            continue
        try:
            build.spin_s = time_cpu_work(build.interpreter, iterations, repeats,
                                         timeout=timeout)
        except (RuntimeError, TimeoutError) as error:
            build.problem = str(error)
