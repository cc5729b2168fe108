"""Hostile and broken submissions, for every assignment: exact scores, bounded time, no leftovers.

One `nbgrader autograde` run per assignment grades all of its adversarial submissions (see
cases.py), its broken files and a clean bystander, in a scratch copy of the course. The run is
shared by every test of the assignment; the first one to ask for it pays for it.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from grading.harness import (REPO, NbgraderError, list_assignments, load_config, make_course,
                             read_notebooks, run_nbgrader)
from grading.problems import MISSING as PROBLEM_MISSING
from grading.problems import NOT_GRADED as PROBLEM_NOT_GRADED
from grading import cli as grade
from grading.problems import find_problems

from .cases import BROKEN_FILES, BUNDLES, BY_NAME, MISSING, NOT_GRADED, NOTHING, ZERO
from .harness import BYSTANDER, marked_processes, run_adversarial, specific_cases

ASSIGNMENTS = list_assignments(REPO / "source")
BASE_FACTOR, BASE_SLACK = 2.0, 10.0  # a hostile submission's clean part may run this much slower
# Under xdist each assignment's tests share one worker (its pipeline tests' group) and the workers
# share the assignments. Alone, this session grades two assignments at once: their timeouts
# overlap, and budgets scale with the clean submission's time in the same run.
XDIST = bool(os.environ.get("PYTEST_XDIST_WORKER"))
PARALLEL = 1 if XDIST else 2


def _param(assignment: str, *values, id: str):
    return pytest.param(assignment, *values, id=id,
                        marks=pytest.mark.xdist_group(f"assignment-{assignment}"))


def _case_params():
    params = []
    for assignment in ASSIGNMENTS:
        names = set(BY_NAME) | set(specific_cases(assignment))
        params += [_param(assignment, bundle, name, id=f"{assignment}/{bundle}/{name}")
                   for bundle, slots in BUNDLES.items() for slot in slots for name in slot
                   if name in names]
    return params


CASES = _case_params()
BUNDLE_PARAMS = [_param(a, b, id=f"{a}/{b}") for a in ASSIGNMENTS for b in BUNDLES]
BROKEN_PARAMS = [_param(a, f, id=f"{a}/{f.name}") for a in ASSIGNMENTS for f in BROKEN_FILES]
by_assignment = pytest.mark.parametrize("assignment", [_param(a, id=a) for a in ASSIGNMENTS])
pytestmark = [pytest.mark.pipeline, pytest.mark.timeout(1800)]


@pytest.fixture(scope="session")
def adversarial_runs(request, generated_course, tmp_path_factory, timings):
    """Autograde the adversarial submissions of the assignments the selected tests need,
    PARALLEL at a time, started on first use (the costliest first); return a getter that waits
    for one assignment's run. Under xdist, only the assignment asked for, when asked."""
    marker = uuid.uuid4().hex
    needed = set() if XDIST else {
        item.callspec.params["assignment"] for item in request.session.items
        if "assignment" in getattr(getattr(item, "callspec", None), "params", {})}
    futures: dict[str, Future] = {}
    # The marker goes to nbgrader's environment only (its kernels and their children inherit
    # it), never this worker's: tests run here later, such as the browser's, must not carry it.
    with ThreadPoolExecutor(PARALLEL) as pool:

        def get(assignment: str):
            if assignment not in futures:
                for name in sorted((needed | {assignment}) - set(futures),
                                   key=lambda a: -_cost(generated_course, a)):
                    course = _course_copy(generated_course, tmp_path_factory, name)
                    futures[name] = pool.submit(run_adversarial, course, name, marker)
            try:
                run = futures[assignment].result()
            except NbgraderError as error:
                pytest.fail(f"{assignment}: {error}", pytrace=False)
            label = f"{assignment}: adversarial autograde ({len(run.scores)} graded)"
            if label not in dict(timings):
                timings.append((label, run.elapsed))
                timings.extend((f"{assignment}:   {student} executed", seconds)
                               for student, seconds in sorted(run.seconds.items()))
            return run

        get.marker = marker
        get.started = futures
        yield get


def _cost(course: Path, assignment: str) -> int:
    """How many cells autograde runs for a submission: nbgrader cells (plain ones are skipped)."""
    return sum(len([c for c in nb.cells if c.cell_type == "code" and "nbgrader" in c.metadata])
               for nb in read_notebooks(course / "release" / assignment).values())


def _course_copy(generated: Path, tmp_path_factory, assignment: str) -> Path:
    """A course of its own (gradebook included) holding the assignment's generated release."""
    course = make_course(tmp_path_factory.mktemp("adversarial") / "course", REPO / "source",
                         [assignment])
    shutil.copytree(generated / "release" / assignment, course / "release" / assignment)
    shutil.copy2(generated / "gradebook.db", course / "gradebook.db")
    return course


def _cells_report(run, student: str) -> str:
    score = run.scores.get(student, {}).get(run.notebook)
    return f"{score}\n(course: {run.course_dir})" if score else "not graded"


class TestHostileSubmissions:
    @pytest.mark.parametrize("assignment, bundle, case", CASES)
    def test_case_gets_its_declared_score(self, adversarial_runs, assignment, bundle, case):
        """A hostile case scores exactly what it declares in its exercise."""
        run = adversarial_runs(assignment)
        student = f"adv-{bundle}"
        assert student in run.scores, f"{student} was not graded:\n{run.output[-3000:]}"
        number = run.placements[student][case]
        got, _ = run.exercise_scores(student)[number]
        expected = run.expected(student)[number]
        assert got == expected, (
            f"{assignment}: case {case} in exercise {number} of {student} should score "
            f"{expected:g}, got {got:g}:\n{_cells_report(run, student)}")
        _check_messages(run, student, case, number)

    @pytest.mark.parametrize("assignment, bundle", BUNDLE_PARAMS)
    def test_nothing_else_changes(self, adversarial_runs, assignment, bundle):
        """Exercises around the hostile ones keep their points; the maximum score stays."""
        run = adversarial_runs(assignment)
        student = f"adv-{bundle}"
        got = {n: score for n, (score, _) in run.exercise_scores(student).items()}
        assert got == run.expected(student), (
            f"{assignment}: {student} (cases {run.placements[student]}) should score "
            f"{run.expected(student)} by exercise, got {got}:\n{_cells_report(run, student)}")
        maximum = run.scores[student][run.notebook].max_score
        assert maximum == run.scores[BYSTANDER][run.notebook].max_score

    @pytest.mark.parametrize("assignment, bundle", BUNDLE_PARAMS)
    def test_within_budget(self, adversarial_runs, assignment, bundle):
        """A hostile submission costs at most a clean one plus its cases' declared budgets."""
        run = adversarial_runs(assignment)
        student = f"adv-{bundle}"
        budget = _budget(run, run.placements[student])
        assert run.seconds[student] <= budget, (
            f"{assignment}: grading {student} took {run.seconds[student]:.1f} s, over its budget "
            f"of {budget:.1f} s (a clean submission took {run.seconds[BYSTANDER]:.1f} s)")


def _check_messages(run, student: str, case: str, number: int) -> None:
    """A losing exercise shows its own case's message, and no other case's specific one (not
    a bare exception name): a case whose effects leaked into a later exercise would show there."""
    cases = {**BY_NAME, **specific_cases(run.assignment)}
    errors = run.exercise_errors(student, number)
    if cases[case].loses != NOTHING and cases[case].message:
        assert any(cases[case].message in error for error in errors), (
            f"{run.assignment}: exercise {number} of {student} ({case}) should show "
            f"{cases[case].message!r}; it shows {errors}")
    others = {cases[name].message for name, n in run.placements[student].items()
              if n != number and " " in cases[name].message} - {cases[case].message}
    leaked = [m for m in others if any(m in error for error in errors)]
    assert not leaked, (f"{run.assignment}: exercise {number} of {student} ({case}) shows "
                        f"other cases' messages {leaked}: their effects leaked: {errors}")


def _budget(run, placements: dict[str, int]) -> float:
    limits = load_config(run.course_dir).GuardedExecute
    cases = {**BY_NAME, **specific_cases(run.assignment)}
    clean = run.seconds[BYSTANDER]
    extra = sum(cases[name].budget.extra(limits.solution_timeout, limits.interrupt_grace, clean)
                for name in placements)
    return BASE_FACTOR * clean + BASE_SLACK + extra


class TestGradingCompletes:
    @by_assignment
    def test_bystander_untouched(self, adversarial_runs, assignment):
        """A clean submission graded after every hostile one still gets full marks."""
        run = adversarial_runs(assignment)
        score = run.scores[BYSTANDER][run.notebook]
        assert score.score == score.max_score, _cells_report(run, BYSTANDER)

    @by_assignment
    def test_only_unreadable_notebooks_fail(self, adversarial_runs, assignment):
        """autograde exits non-zero, naming exactly the submissions it could not read."""
        run = adversarial_runs(assignment)
        failed = set(re.findall(r"error processing assignment '[^']+' for student '([^']+)'",
                                run.output))
        unreadable = {f"broken-{f.name}" for f in BROKEN_FILES if f.outcome == NOT_GRADED}
        assert run.returncode != 0 and failed == unreadable, (
            f"exit code {run.returncode}; nbgrader failed on {sorted(failed)}, expected exactly "
            f"{sorted(unreadable)}")

    @by_assignment
    def test_nothing_left_behind(self, adversarial_runs, assignment):
        """No process the grading started is alive after it (leaked pools, children, setsid)."""
        run = adversarial_runs(assignment)
        assert not run.leftovers, "still running after autograde:\n" + "\n".join(run.leftovers)

    def test_nothing_left_behind_anywhere(self, adversarial_runs):
        """Once this session's runs are over, no process anywhere carries their marker (even
        one that changed its working directory)."""
        for assignment in list(adversarial_runs.started):
            adversarial_runs(assignment)
        left = marked_processes(adversarial_runs.marker)
        assert not left, "still running after autograde:\n" + "\n".join(left)

    @pytest.mark.parametrize("assignment, broken", BROKEN_PARAMS)
    def test_broken_file(self, adversarial_runs, assignment, broken):
        """A broken file is listed with its reason (unless graded 0), never silently dropped."""
        run = adversarial_runs(assignment)
        student = f"broken-{broken.name}"
        problems = [p for p in find_problems(run.course_dir, assignment, run.output)
                    if p.student == student]
        kinds = {NOT_GRADED: PROBLEM_NOT_GRADED, MISSING: PROBLEM_MISSING}
        if broken.outcome == ZERO:
            assert run.scores[student][run.notebook].score == 0 and not problems, (
                f"{student}: expected a grade of 0, got {_cells_report(run, student)}; "
                f"problems {problems}")
            return
        assert [p.kind for p in problems] == [kinds[broken.outcome]], (
            f"{student} ({broken.what}) should be listed as {kinds[broken.outcome]}; "
            f"listed: {[str(p) for p in problems]}")
        if broken.outcome == NOT_GRADED:
            assert student not in run.scores, (
                f"{student} has a grade: {_cells_report(run, student)}")
        elif student in run.scores:  # nbgrader skips a folder without any notebook
            assert run.scores[student][run.notebook].score == 0


class TestReports:
    @by_assignment
    def test_feedback_hides_tests_and_explains(self, adversarial_runs, assignment):
        """Feedback shows no hidden test code, and each losing case's own failure message."""
        run = adversarial_runs(assignment)
        run_nbgrader(run.course_dir, "generate_feedback", assignment, "--force",
                     "--student=adv-*")
        hidden = _hidden_lines(run.course_dir, assignment, run.notebook)
        cases = {**BY_NAME, **specific_cases(assignment)}
        for student, placed in run.placements.items():
            path = run.course_dir / "feedback" / student / assignment / f"{run.notebook}.html"
            text = _visible_text(path.read_text())
            leaks = [line for line in hidden if line in text]
            assert not leaks, f"{path} shows hidden test code: {leaks[:3]}"
            missing = [f"{name}: {cases[name].message!r}" for name in placed
                       if cases[name].loses != NOTHING and cases[name].message
                       and cases[name].message not in text]
            assert not missing, f"{path} lacks the failure message of {missing}"

    @by_assignment
    def test_export_never_shows_a_silent_zero(self, adversarial_runs, assignment):
        """The CSV export leaves ungraded notebooks' scores empty and says why."""
        run = adversarial_runs(assignment)
        dest = run.course_dir / "grades.csv"
        run_nbgrader(run.course_dir, "export", f"--to={dest}", f"--assignment={assignment}")
        with open(dest, newline="") as file:
            rows = {row["student_id"]: row for row in csv.DictReader(file)
                    if row["assignment"] == assignment}
        for broken in BROKEN_FILES:
            row = rows[f"broken-{broken.name}"]
            if broken.outcome == NOT_GRADED:
                assert row["score"] == "" and PROBLEM_NOT_GRADED in row["problem"], row
            elif broken.outcome == MISSING:
                assert float(row["score"]) == 0 and PROBLEM_MISSING in row["problem"], row
        assert rows[BYSTANDER]["problem"] == "", rows[BYSTANDER]


    @by_assignment
    def test_grade_script_lists_each_broken_notebook(self, adversarial_runs, assignment):
        """`python -m grading`'s listing names each broken student, notebook and reason; exit 1."""
        run = adversarial_runs(assignment)
        problems = find_problems(run.course_dir, assignment, run.output)
        text = grade.listing(problems, [])
        for broken in BROKEN_FILES:
            if broken.outcome in (NOT_GRADED, MISSING):
                assert f"broken-{broken.name} / {assignment} / {run.notebook}.ipynb: " in text, text
        assert "JSON" in text and "0 bytes" in text and "renamed?" in text, text
        assert grade.status(problems, []) == 1


def _hidden_lines(course: Path, assignment: str, notebook: str) -> list[str]:
    """Distinctive lines of the source's hidden tests that the release never shows."""
    source = nbformat.read(course / "source" / assignment / f"{notebook}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / assignment / f"{notebook}.ipynb", as_version=4)
    shown = _squash("\n".join(cell.source for cell in release.cells))
    lines = []
    for cell in source.cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line or "END HIDDEN TESTS" in line:
                inside = "BEGIN" in line
                continue
            squashed = _squash(line)
            if inside and len(squashed) >= 30 and squashed not in shown:
                lines.append(squashed)
    return lines


def _visible_text(page: str) -> str:
    """The text a reader sees in an HTML page (tags dropped, entities decoded), squashed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return _squash(html.unescape(re.sub(r"<[^>]+>", "", page)))


def _squash(text: str) -> str:
    return " ".join(text.split())
