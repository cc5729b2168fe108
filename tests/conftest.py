"""Shared fixtures: a scratch copy of the course with every assignment generated once.

The pipeline tests and the release check share that copy, so `generate_assignment` runs once per
session. Timings of the pipeline steps are printed at the end of the run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import REPO, generate_assignment, list_assignments, make_course

# Catalogued mistakes and fixture assignments are data (some of it broken code on purpose),
# never test modules, whatever their file names.
collect_ignore_glob = ["mistakes/*", "fixtures/*"]

# Seconds per nbgrader step, filled as the pipeline fixtures run: [(label, seconds)].
TIMINGS = pytest.StashKey[list]()


def pytest_configure(config):
    config.stash[TIMINGS] = []


@pytest.fixture(scope="session")
def timings(pytestconfig) -> list[tuple[str, float]]:
    """The list to append (label, seconds) to; printed at the end of the run."""
    return pytestconfig.stash[TIMINGS]


@pytest.fixture(scope="session")
def generated_course(tmp_path_factory, timings) -> Path:
    """A scratch course holding the repository's source/ and a fresh release/ generated from it."""
    assignments = list_assignments(REPO / "source")
    if not assignments:
        pytest.skip("source/ holds no assignment yet")
    course = make_course(tmp_path_factory.mktemp("generated") / "course", REPO / "source")
    timings.append((f"generate_assignment {', '.join(assignments)}", generate_assignment(course)))
    return course


def pytest_terminal_summary(terminalreporter, config):
    """Print how long each nbgrader step took, when any ran."""
    if config.stash[TIMINGS]:
        terminalreporter.section("nbgrader timings")
        for label, seconds in config.stash[TIMINGS]:
            terminalreporter.write_line(f"{label}: {seconds:.1f} s")


def pytest_collection_modifyitems(config, items):
    """Keep each assignment's tests on one xdist worker, so its grading runs once, not per worker.

    The browser tests share one JupyterLab server the same way.
    """
    for item in items:
        callspec = getattr(item, "callspec", None)
        case = callspec.params.get("case") if callspec else None
        if hasattr(case, "name"):
            item.add_marker(pytest.mark.xdist_group(f"assignment-{case.name}"))
        elif "browser" in item.nodeid.split("/")[:2]:
            item.add_marker(pytest.mark.xdist_group("browser"))
