"""Shared fixtures: scratch courses with every assignment generated once per kernel, and the
pipeline run of each assignment on each kernel (validate, generate, grade its whole catalogue).

The pipeline, fairness, release and adversarial tests share them, so each step runs once per
session and worker. Timings of the pipeline steps are printed at the end of the run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assignments import DEFAULT, FIXTURE, FREE_THREADED, graded_on
from grading.harness import (REPO, Assignment, NbgraderError, generate_assignment,
                             list_assignments, make_course, run_pipeline)

# Appended to a scratch course's nbgrader_config.py to grade on the free-threaded kernel.
KERNEL_OVERRIDE = (f"\n\n# Graded on the free-threaded kernel (tests/conftest.py).\n"
                   f"c.Execute.kernel_name = {FREE_THREADED!r}\n")
FREE_THREADED_FIX = ("run `make freethreaded` (docs/free-threaded.md) to build it and register "
                     "the kernel")

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


def kernel_missing(reason: str):
    """Fail under CI, which must prove both kernels; skip elsewhere. Either way, say why."""
    message = f"the kernel {FREE_THREADED!r} {reason}: {FREE_THREADED_FIX}"
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail(f"CI runs every lesson on both kernels, but {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def free_threaded_python():
    """The free-threaded kernel's interpreter, checked to be free-threaded with the GIL off."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    from course import interpreters

    try:
        spec = KernelSpecManager().get_kernel_spec(FREE_THREADED)
    except NoSuchKernel:
        kernel_missing("is not installed")
    python, problem = spec.argv[0], ""
    try:
        found = interpreters.probe(python)
    except (ValueError, RuntimeError, TimeoutError) as error:
        found, problem = None, str(error)
    if problem:
        kernel_missing(f"points at a Python that does not run ({python}: {problem})")
    assert found.free_threaded and not found.gil_enabled, (
        f"the kernel {FREE_THREADED!r} runs {found.label} ({python}), not a free-threaded Python "
        f"with the GIL disabled: {FREE_THREADED_FIX}")
    return found


@pytest.fixture(scope="session")
def generated_courses(request, tmp_path_factory, timings):
    """courses(kernel): a scratch course holding source/ and a release/ generated from it,
    grading on that kernel; made once per kernel on first use."""
    courses: dict[str, Path] = {}

    def get(kernel: str = DEFAULT) -> Path:
        if kernel not in courses:
            assignments = list_assignments(REPO / "source")
            if not assignments:
                pytest.skip("source/ holds no assignment yet")
            if kernel != DEFAULT:
                request.getfixturevalue("free_threaded_python")
            course = make_course(tmp_path_factory.mktemp(f"generated-{kernel}") / "course",
                                 REPO / "source")
            if kernel != DEFAULT:
                with open(course / "nbgrader_config.py", "a") as config:
                    config.write(KERNEL_OVERRIDE)
            timings.append((f"generate_assignment for {kernel}", generate_assignment(course)))
            courses[kernel] = course
        return courses[kernel]

    return get


@pytest.fixture(scope="session")
def generated_course(generated_courses) -> Path:
    """The default kernel's scratch course (see generated_courses)."""
    return generated_courses(DEFAULT)


@pytest.fixture(scope="session")
def pipeline_runs(generated_courses, tmp_path_factory, timings):
    """runs(kernel, case): the pipeline run of an assignment on a kernel, made on first use."""
    runs: dict[tuple[str, str], object] = {}

    def get(kernel: str, case: Assignment):
        key = (kernel, case.name)
        if key not in runs:
            runs[key] = _run(kernel, case)
        if isinstance(runs[key], Exception):
            pytest.fail(f"{case.name} on {kernel}: {runs[key]}", pytrace=False)
        return runs[key]

    def _run(kernel: str, case: Assignment):
        if case == FIXTURE:
            course = make_course(tmp_path_factory.mktemp("fixture") / "course",
                                 case.source_root, [case.name])
        else:  # the shared course, whose release/ was generated once for every assignment
            course = generated_courses(kernel)
        mistakes = graded_on(kernel, case)
        try:
            run = run_pipeline(case, course, generate=case == FIXTURE, mistakes=mistakes,
                               validate=kernel == DEFAULT)
        except NbgraderError as error:
            return error
        graded = len(run.scores)
        timings.extend((f"{case.name} on {kernel}: {step}" + (
            f" ({graded} submissions, {_per_submission(run)} s each)"
            if step == "autograde" else ""), seconds) for step, seconds in run.timings.items())
        return run

    return get


def _per_submission(run) -> str:
    seconds = sorted(run.seconds.values())
    return f"{sum(seconds) / len(seconds):.1f}" if seconds else "?"


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
            kernel = callspec.params.get("kernel", DEFAULT)
            item.add_marker(pytest.mark.xdist_group(f"assignment-{case.name}-{kernel}"))
        elif "browser" in item.nodeid.split("/")[:2]:
            # One group per lesson: two workers drive a lab each and halve the suite's time.
            lesson = callspec.params.get("lesson", "") if callspec else ""
            item.add_marker(pytest.mark.xdist_group(f"browser-{lesson}" if lesson else "browser"))
