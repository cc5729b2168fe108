"""The assignments and catalogue entries the pipeline tests run, and the kernels they run on.

Every assignment of source/ (plus the small fixture assignment under tests/fixtures/, which proves
the harness before any lesson exists) is graded on the default kernel and on the free-threaded
one (`make freethreaded`); FREETHREADED_MISTAKES picks which lessons' catalogues the free-threaded
run grades ("all", the default, or names separated by commas, e.g. "02-gil" for a quick run).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grading.harness import REPO, Assignment, list_assignments

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = Assignment("fixture", FIXTURES / "source", FIXTURES / "mistakes")
LESSONS = [Assignment(name, REPO / "source", REPO / "tests" / "mistakes")
           for name in list_assignments(REPO / "source")]
CASES = [FIXTURE] + LESSONS

DEFAULT = "python3"
FREE_THREADED = "python3-freethreaded"
KERNELS = (DEFAULT, FREE_THREADED)
MISTAKES_ENV = "FREETHREADED_MISTAKES"


def _free_threaded_lessons(value: str) -> set[str]:
    """The lessons whose catalogues the free-threaded kernel grades: "all", or names."""
    names = [case.name for case in LESSONS]
    if value.strip().lower() == "all":
        return set(names)
    chosen = {name.strip() for name in value.split(",") if name.strip()}
    unknown = sorted(chosen - set(names))
    if unknown:
        raise ValueError(f"{MISTAKES_ENV} must be 'all' or lessons among {', '.join(names)} "
                         f"(got {', '.join(unknown)})")
    return chosen


FREE_THREADED_CATALOGUES = _free_threaded_lessons(os.environ.get(MISTAKES_ENV, "all"))


def graded_on(kernel: str, case: Assignment) -> bool:
    """Whether *kernel* grades *case*'s catalogue (the fixture proves the harness once)."""
    if kernel == DEFAULT:
        return True
    return case in LESSONS and case.name in FREE_THREADED_CATALOGUES


def kernel_cases() -> list:
    """(kernel, case) pairs, one pipeline run each."""
    return [pytest.param(kernel, case, id=f"{kernel}-{case.name}")
            for kernel in KERNELS for case in (CASES if kernel == DEFAULT else LESSONS)]


def kernel_entries() -> list:
    """(kernel, case, catalogue file) triples: every entry graded on every kernel that grades it."""
    return [pytest.param(kernel, case, path, id=f"{kernel}-{case.name}/{path.stem}")
            for kernel in KERNELS for case in CASES if graded_on(kernel, case)
            for path in case.mistake_files()]
