"""Shared fixtures: a scratch copy of the course with every assignment generated once.

The pipeline tests and the release check share that copy, so `generate_assignment` runs once per
session. Timings of the pipeline steps are printed at the end of the run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grading.harness import REPO, generate_assignment, list_assignments, make_course

# Catalogued mistakes and fixture assignments are data (some of it broken code on purpose),
# never test modules, whatever their file names.
collect_ignore_glob = ["mistakes/*", "fixtures/*"]

# Seconds per nbgrader step, filled as the pipeline fixtures run: [(label, seconds)].
TIMINGS = pytest.StashKey[list]()


# Under xdist each worker writes its timings here, and the controller prints them all.
ARTIFACTS = REPO / "test-artifacts"


def pytest_configure(config):
    config.stash[TIMINGS] = []
    if not hasattr(config, "workerinput"):  # the controller, or a run without workers
        for stale in ARTIFACTS.glob("nbgrader-timings-*.tsv"):
            stale.unlink()


def pytest_sessionfinish(session):
    worker = getattr(session.config, "workerinput", {}).get("workerid")
    if worker and session.config.stash[TIMINGS]:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"nbgrader-timings-{worker}.tsv").write_text("".join(
            f"{label}\t{seconds:.1f}\n" for label, seconds in session.config.stash[TIMINGS]))


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
    """Print how long each nbgrader step took, when any ran, on any worker."""
    rows = list(config.stash[TIMINGS])
    if not hasattr(config, "workerinput"):
        for path in sorted(ARTIFACTS.glob("nbgrader-timings-*.tsv")):
            rows += [(label, float(seconds)) for label, seconds in
                     (line.rsplit("\t", 1) for line in path.read_text().splitlines() if line)]
    if rows:
        terminalreporter.section("nbgrader timings")
        for label, seconds in rows:
            terminalreporter.write_line(f"{label}: {seconds:.1f} s")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups into the node ids
def pytest_collection_modifyitems(config, items):
    """Keep each assignment's tests on one xdist worker, so its grading runs once, not per worker.

    The browser tests of a lesson share one worker, and its JupyterLab server, the same way.
    """
    for item in items:
        callspec = getattr(item, "callspec", None)
        case = callspec.params.get("case") if callspec else None
        if hasattr(case, "name"):
            item.add_marker(pytest.mark.xdist_group(f"assignment-{case.name}"))
        elif "browser" in item.nodeid.split("/")[:2]:
            # One group per lesson: two workers drive a lab each and halve the suite's time.
            lesson = callspec.params.get("lesson", "") if callspec else ""
            item.add_marker(pytest.mark.xdist_group(f"browser-{lesson}" if lesson else "browser"))
