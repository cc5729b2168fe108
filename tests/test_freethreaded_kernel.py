"""Every lesson on the free-threaded kernel: the lessons run clean and grade the same without a GIL.

`make freethreaded` builds CPython 3.13 with ``--disable-gil`` and registers it as the kernel
``python3-freethreaded`` (docs/free-threaded.md). For each assignment of source/ this module:

- runs the source notebook top to bottom on that kernel (nbclient; any error fails), and checks
  the kernel really ran without a GIL;
- autogrades the solution, the untouched release and catalogued mistakes in a scratch course
  whose nbgrader_config.py forces that kernel (``c.Execute.kernel_name``), and checks, in every
  autograded notebook, that the doctor table says free-threaded, GIL disabled.

Every lesson's mistakes are graded here by default, as on the default kernel (about 8 minutes
of grading on 2 cores, most of it lesson 4's process pools). ``FREETHREADED_MISTAKES`` names
the lessons whose mistakes to grade, comma-separated (``02-gil`` for a quick run), or ``all``.
tests/test_pipeline.py grades every mistake on the default kernel either way.

When the kernel is missing, the tests skip with the reason; under CI (``CI=true``) they fail,
since CI must prove both kernels. The pipeline harness is tests/pipeline/ (shared with
tests/test_pipeline.py, which runs the same catalogue on the default kernel).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from course import interpreters
from grading.harness import (REPO, SOLUTION, STUB, Assignment, NbgraderError, build_catalogue,
                      expected_scores, generate_assignment, list_assignments, make_course,
                      parse_mistake, write_submission)
from grading.harness import autograde as run_autograde

KERNEL = "python3-freethreaded"
FIX = "run `make freethreaded` (docs/free-threaded.md) to build it and register the kernel"
CELL_TIMEOUT = 120  # seconds per lesson cell: generous for a loaded machine, still bounded
GRADE_TIMEOUT = 900  # seconds for one assignment's whole autograde run
# Markers the doctor table (the setup cell's output in every lesson) shows without a GIL.
DOCTOR_FREE_THREADED = ("| **Build** | free-threaded |", "| **GIL** | disabled")
# Appended to the scratch course's nbgrader_config.py; GuardedExecute is an Execute subclass.
KERNEL_OVERRIDE = (f"\n\n# tests/test_freethreaded_kernel.py: grade on the free-threaded kernel.\n"
                   f"c.Execute.kernel_name = {KERNEL!r}\n")
# A last cell appended to each source notebook run: what the kernel says about itself.
PROBE = ("import sys, sysconfig\n"
         "print('BUILD', bool(sysconfig.get_config_var('Py_GIL_DISABLED')), "
         "getattr(sys, '_is_gil_enabled', lambda: True)(), sys.version.split()[0])")

MISTAKES_ENV = "FREETHREADED_MISTAKES"
DEFAULT_MISTAKES = "all"

CASES = [Assignment(name, REPO / "source", REPO / "tests" / "mistakes")
         for name in list_assignments(REPO / "source")]


def _mistake_lessons(value: str, names: list[str]) -> set[str]:
    """The lessons whose mistakes to grade: "all", or names separated by commas."""
    if value.strip().lower() == "all":
        return set(names)
    chosen = {name.strip() for name in value.split(",") if name.strip()}
    unknown = sorted(chosen - set(names))
    if unknown:
        raise ValueError(f"{MISTAKES_ENV} must be 'all' or lessons among {', '.join(names)} "
                         f"(got {', '.join(unknown)})")
    return chosen


WITH_MISTAKES = _mistake_lessons(os.environ.get(MISTAKES_ENV, DEFAULT_MISTAKES),
                                 [case.name for case in CASES])
MISTAKES = [pytest.param(case, path, id=f"{case.name}/{path.stem}")
            for case in CASES if case.name in WITH_MISTAKES for path in case.mistake_files()]
by_name = pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)

pytestmark = [pytest.mark.pipeline, pytest.mark.timeout(1800)]


def _missing(reason: str):
    """Fail under CI, which must prove both kernels; skip elsewhere. Either way, say why."""
    message = f"the kernel {KERNEL!r} {reason}: {FIX}"
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail(f"CI runs every lesson on both kernels, but {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def kernel_python() -> interpreters.Interpreter:
    """The free-threaded kernel's interpreter, checked to be free-threaded with the GIL off."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        spec = None
    if spec is None:
        _missing("is not installed")
    python, problem = spec.argv[0], ""
    try:
        found = interpreters.probe(python)
    except (ValueError, RuntimeError, TimeoutError) as error:
        problem = str(error)
    if problem:
        _missing(f"points at a Python that does not run ({python}: {problem})")
    assert found.free_threaded and not found.gil_enabled, (
        f"the kernel {KERNEL!r} runs {found.label} ({python}), not a free-threaded Python with "
        f"the GIL disabled: {FIX}; PYTHON_GIL={os.environ.get('PYTHON_GIL')!r} here")
    return found


class TestKernel:
    def test_kernel_is_free_threaded(self, kernel_python):
        """The registered kernel's Python is a free-threaded build that can import the course."""
        assert kernel_python.has_course, (
            f"{kernel_python.path} cannot import the course: {kernel_python.course_error}; "
            f"{FIX}")


# --- the source notebooks, top to bottom ------------------------------------------------------
@pytest.fixture(scope="module")
def source_copy(tmp_path_factory) -> Path:
    """A scratch copy of source/, so lessons that write files leave the repository alone."""
    return make_course(tmp_path_factory.mktemp("ft-source") / "course", REPO / "source")


class TestSourceOnFreeThreadedKernel:
    @by_name
    def test_source_runs_without_errors(self, case, kernel_python, source_copy, timings):
        """Every cell (solutions included) runs without an error on a kernel without a GIL."""
        folder = source_copy / "source" / case.name
        for path in sorted(folder.glob("*.ipynb")):
            started = time.perf_counter()
            probe = _execute(path, folder)
            timings.append((f"{case.name}/{path.name} on {KERNEL}", time.perf_counter() - started))
            assert probe.startswith("BUILD True False"), (
                f"{case.name}/{path.name} ran on a kernel reporting {probe!r} "
                "(free-threaded build, GIL enabled, version), not a free-threaded one")


def _execute(path: Path, folder: Path) -> str:
    """Run a notebook on the kernel (no errors allowed); return what the probe cell printed."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    current = {}  # the cell running now, for the failure message
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, allow_errors=False,
                            resources={"metadata": {"path": str(folder)}},
                            on_cell_start=lambda cell, cell_index: current.update(
                                index=cell_index, source=cell.source))
    try:
        client.execute()
    except CellTimeoutError:
        pytest.fail(f"{path.name}, cell {current.get('index')}, did not finish within "
                    f"{CELL_TIMEOUT} s on {KERNEL}: hung?\n{current.get('source', '')[:500]}",
                    pytrace=False)
    except DeadKernelError:
        pytest.fail(f"{path.name}: the {KERNEL} kernel died in cell {current.get('index')}:\n"
                    f"{current.get('source', '')[:500]}", pytrace=False)
    except CellExecutionError as error:
        pytest.fail(f"{path.name}, cell {current.get('index')}, raised on {KERNEL}:\n{error}",
                    pytrace=False)
    return "".join(out.get("text", "") for out in nb.cells[-1].outputs).strip()


# --- autograding on the free-threaded kernel ----------------------------------------------------
@pytest.fixture(scope="module")
def ft_course(tmp_path_factory, kernel_python, timings) -> Path:
    """A scratch course graded on the free-threaded kernel, every release generated once."""
    course = make_course(tmp_path_factory.mktemp("ft-grading") / "course", REPO / "source")
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(KERNEL_OVERRIDE)
    timings.append((f"generate_assignment (for {KERNEL})", generate_assignment(course)))
    return course


@pytest.fixture(scope="module")
def graded(ft_course, timings):
    """Autograde an assignment's catalogue on first use: (catalogue, scores) or a failure."""
    runs: dict[str, object] = {}

    def get(case: Assignment):
        if case.name not in runs:
            runs[case.name] = _grade(ft_course, case, timings)
        if isinstance(runs[case.name], Exception):
            pytest.fail(f"{case.name} on {KERNEL}: {runs[case.name]}", pytrace=False)
        return runs[case.name]

    return get


def _grade(course: Path, case: Assignment, timings):
    """Build the solution, stub and mistakes from the release and autograde them in one run."""
    paths = case.mistake_files() if case.name in WITH_MISTAKES else []
    catalogue = build_catalogue(course, case.name, [parse_mistake(p) for p in paths])
    for student, notebooks in catalogue.submissions.items():
        write_submission(course, case.name, student, notebooks)
    started = time.perf_counter()
    try:
        scores = run_autograde(course, case.name, sorted(catalogue.submissions),
                               timeout=GRADE_TIMEOUT)
    except NbgraderError as error:
        return error
    timings.append((f"{case.name}: autograde on {KERNEL} ({len(scores)} submissions)",
                    time.perf_counter() - started))
    return catalogue, scores


def _scores(scores, student: str) -> dict[str, float]:
    return {name: score.score for name, score in scores.get(student, {}).items()}


def _report(scores, student: str) -> str:
    notebooks = scores.get(student)
    if notebooks is None:
        return f"  {student} has no grades (nbgrader could not grade the submission)"
    return "\n".join(f"  {name}: {score}" for name, score in notebooks.items())


def _max_scores(scores) -> dict[str, float]:
    return {name: score.max_score for name, score in scores[SOLUTION].items()}


class TestAutogradeOnFreeThreadedKernel:
    @by_name
    def test_graded_on_the_free_threaded_kernel(self, case, ft_course, graded):
        """Every autograded notebook shows the doctor table of a free-threaded build, GIL off."""
        _, scores = graded(case)
        wrong = []
        for student in scores:
            for path in sorted((ft_course / "autograded" / student / case.name).glob("*.ipynb")):
                text = _outputs(nbformat.read(path, as_version=4))
                if not all(marker in text for marker in DOCTOR_FREE_THREADED):
                    wrong.append(str(path.relative_to(ft_course)))
        assert scores and not wrong, (
            f"{case.name}: these notebooks were not graded on {KERNEL} (their doctor table "
            f"lacks {DOCTOR_FREE_THREADED}): {wrong or 'no autograded notebooks'}")

    @by_name
    def test_solution_gets_full_marks(self, case, graded):
        """The source's solutions typed into the release score every point without a GIL."""
        _, scores = graded(case)
        assert SOLUTION in scores, _report(scores, SOLUTION)
        assert _scores(scores, SOLUTION) == expected_scores(_max_scores(scores)), (
            f"{case.name} on {KERNEL}: the solution should get full marks; it got\n"
            f"{_report(scores, SOLUTION)}")

    @by_name
    def test_release_stub_scores_zero(self, case, graded):
        """The untouched release scores 0 in every notebook without a GIL."""
        _, scores = graded(case)
        zero = {name: 0 for name in _max_scores(scores)}
        assert _scores(scores, STUB) == zero, (
            f"{case.name} on {KERNEL}: the untouched release should score 0; it got\n"
            f"{_report(scores, STUB)}")

    @pytest.mark.parametrize("case, path", MISTAKES)
    def test_mistake_loses_its_points(self, case, path, graded):
        """A catalogued mistake loses exactly its points without a GIL too."""
        catalogue, scores = graded(case)
        student = f"mistake-{path.stem}"
        assert path.stem not in catalogue.broken, catalogue.broken.get(path.stem)
        mistake = catalogue.mistakes[student]
        expected = expected_scores(_max_scores(scores), mistake)
        assert _scores(scores, student) == expected, (
            f"{case.name} on {KERNEL}: mistake {path.name} "
            f"({mistake.description.splitlines()[0]}) must lose exactly {mistake.loses:g} "
            f"point(s) in {mistake.notebook}, scoring {expected}; it got\n"
            f"{_report(scores, student)}")


def _outputs(nb) -> str:
    """All text and Markdown a notebook's cells output, joined."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.extend(str(v) for k, v in out.get("data", {}).items()
                         if k in ("text/markdown", "text/plain"))
    return "\n".join(parts)
