"""Build the adversarial submissions of an assignment, autograde them in one run, read the results.

    run = run_adversarial(course_dir, "02-gil")   # course_dir holds source/, release/, gradebook
    run.exercise_scores("adv-crashes")            # {exercise number: (score, max)}
    run.seconds["adv-crashes"]                    # grading time of that submission

Every submission of one assignment goes through a single `nbgrader autograde` command, so this
also proves that grading completes and leaves the other students' scores alone: a clean
submission (``zz-bystander``) is graded after all the hostile ones.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.utils import is_grade, is_solution

from grading.harness import (NotebookScore, grading_seconds, load_mistakes, read_notebooks,
                             read_scores, run_nbgrader, solution_cells, write_submission)

from .cases import BROKEN_FILES, BUNDLES, BY_NAME, EXERCISE, NOTHING, Budget, Case, Exercise

HERE = Path(__file__).parent
BYSTANDER = "zz-bystander"
RUN_MARKER = "ADVERSARIAL_RUN"  # set on nbgrader: every process it starts inherits it


def specific_cases(assignment: str) -> dict[str, Case]:
    """The assignment's own cases (<assignment>/*.py, in the format of tests/mistakes/)."""
    return {mistake.name: Case(mistake.name, mistake.description.splitlines()[0], mistake.loses,
                               Budget(), _rewrite(mistake.cells), targets=tuple(mistake.cells))
            for mistake in load_mistakes(HERE / assignment)}


def _rewrite(cells: dict[str, str]):
    def build(nb, ex):
        for cell in nb.cells:
            if is_solution(cell) and cell.metadata.nbgrader["grade_id"] in cells:
                cell.source = cells[cell.metadata.nbgrader["grade_id"]]
    return build


def exercises(nb: NotebookNode, answers: dict[str, str],
              stubs: dict[str, str] | None = None) -> list[Exercise]:
    """The exercises of a submission: each solution cell with the grade cells after it.

    Args:
        nb: the submission.
        answers: {solution grade_id: the correct answer}.
        stubs: {solution grade_id: the released stub} (default: the cell as it is in *nb*).
    """
    found: list[Exercise] = []
    for cell in nb.cells:
        if is_solution(cell):
            grade_id = cell.metadata.nbgrader["grade_id"]
            stub = (stubs or {}).get(grade_id, cell.source)
            found.append(Exercise(len(found) + 1, cell, [], answers[grade_id], stub))
        elif is_grade(cell) and found:
            found[-1].tests.append(cell)
    return found


def place_cases(assignment: str, slots: list[list[str]], nb: NotebookNode,
                answers: dict[str, str], stubs: dict[str, str]) -> dict[str, int]:
    """Put each slot's cases in an exercise of *nb* and apply them; return {case: exercise}.

    Raises:
        ValueError: the notebook has too few exercises, or cases that lose points share a slot.
    """
    exs = exercises(nb, answers, stubs)
    cases = {**BY_NAME, **specific_cases(assignment)}
    fixed, free = {}, []
    for slot in slots:
        names = [name for name in slot if name in cases]
        if not names:
            continue
        if len(names) > 1 and any(cases[n].loses != NOTHING for n in names):
            raise ValueError(f"cases that lose points cannot share an exercise: {names}")
        number = _fixed_exercise(cases[names[0]], exs)
        if number is None:
            free.append(names)
        else:
            fixed[number] = names
    open_numbers = [ex.number for ex in exs if ex.number not in fixed]
    if len(free) > len(open_numbers):
        raise ValueError(f"{assignment}: {len(exs)} exercises cannot hold {len(fixed) + len(free)} "
                         "slots of cases")
    placed = {**fixed, **dict(zip(open_numbers, free))}
    for number, names in placed.items():
        for name in names:
            cases[name].build(nb, exs[number - 1])
    return {name: number for number, names in placed.items() for name in names}


def _fixed_exercise(case: Case, exs: list[Exercise]) -> int | None:
    if case.exercise is not None:
        return case.exercise
    if case.targets:
        return next(ex.number for ex in exs
                    if ex.solution.metadata.nbgrader["grade_id"] in case.targets)
    return None


@dataclass
class AdversarialRun:
    """What autograding one assignment's adversarial submissions produced.

    Attributes:
        assignment: its name.
        course_dir: the scratch course (kept for inspection).
        notebook: the notebook the cases were applied to (its name without .ipynb).
        returncode, output: nbgrader's exit code and log.
        elapsed: seconds the whole autograde took.
        scores: {student: {notebook: NotebookScore}} from the gradebook.
        placements: {student: {case: exercise number}}.
        exercise_cells: {exercise number: [grade_ids of its tests]}.
        exercise_solutions: {exercise number: grade_id of its solution cell}.
        seconds: {student: seconds GuardedExecute spent on the notebook}.
        leftovers: processes still alive after autograde that carry the run's marker.
    """

    assignment: str
    course_dir: Path
    notebook: str
    returncode: int = 0
    output: str = ""
    elapsed: float = 0.0
    scores: dict[str, dict[str, NotebookScore]] = field(default_factory=dict)
    placements: dict[str, dict[str, int]] = field(default_factory=dict)
    exercise_cells: dict[int, list[str]] = field(default_factory=dict)
    exercise_solutions: dict[int, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    leftovers: list[str] = field(default_factory=list)

    def exercise_scores(self, student: str) -> dict[int, tuple[float, float]]:
        """{exercise number: (score, max score)} of a student's notebook."""
        cells = self.scores[student][self.notebook].cells
        return {number: (sum(cells[g].score or 0 for g in ids),
                         sum(cells[g].max_score for g in ids))
                for number, ids in self.exercise_cells.items()}

    def exercise_errors(self, student: str, number: int) -> list[str]:
        """The errors a student's exercise shows: its solution cell's and its tests'."""
        score = self.scores[student][self.notebook]
        errors = [score.other_errors.get(self.exercise_solutions[number], "")]
        errors += [score.cells[g].error for g in self.exercise_cells[number]]
        return [error for error in errors if error]

    def expected(self, student: str) -> dict[int, float]:
        """{exercise number: the score its placed case declares}."""
        expected = {n: mx for n, (_, mx) in self.exercise_scores(BYSTANDER).items()}
        cases = {**BY_NAME, **specific_cases(self.assignment)}
        for name, number in self.placements.get(student, {}).items():
            loses = cases[name].loses
            expected[number] -= (expected[number] if loses == EXERCISE
                                 else 0 if loses == NOTHING else loses)
        return expected


def build_submissions(course_dir: Path, assignment: str) -> tuple[str, dict[str, dict[str, int]]]:
    """Write every bundle, broken file and the bystander under submitted/; return the notebook
    name and {student: {case: exercise}}."""
    release = read_notebooks(course_dir / "release" / assignment)
    answers = {name: solution_cells(nb)
               for name, nb in read_notebooks(course_dir / "source" / assignment).items()}
    name = next(iter(release))  # cases go into the first notebook; the others stay solved
    solved = {n: _solved(nb, answers[n]) for n, nb in release.items()}
    placements = {}
    for bundle, slots in BUNDLES.items():
        nb = copy.deepcopy(solved[name])
        placements[f"adv-{bundle}"] = place_cases(assignment, slots, nb, answers[name],
                                                  _stubs(release[name]))
        write_submission(course_dir, assignment, f"adv-{bundle}", {**solved, name: nb})
    for broken in BROKEN_FILES:
        folder = write_submission(course_dir, assignment, f"broken-{broken.name}", solved)
        broken.write(folder, name, solved[name])
    write_submission(course_dir, assignment, BYSTANDER, solved)
    return name, placements


def _stubs(release_nb: NotebookNode) -> dict[str, str]:
    return {c.metadata.nbgrader["grade_id"]: c.source for c in release_nb.cells if is_solution(c)}


def _solved(release_nb: NotebookNode, answers: dict[str, str]) -> NotebookNode:
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        if is_solution(cell):
            cell.source = answers[cell.metadata.nbgrader["grade_id"]]
    return nb


def run_adversarial(course_dir: Path, assignment: str, marker: str = "", *,
                    timeout: float = 1200) -> AdversarialRun:
    """Build every adversarial submission of an assignment and autograde them in one run.

    Args:
        course_dir: a course holding source/<assignment>, its release and its gradebook.
        assignment: the assignment name.
        marker: a value for RUN_MARKER in nbgrader's environment (which all it starts
            inherit); processes carrying it and working in *course_dir* after the run are
            reported as left behind.
        timeout: seconds for the autograde command.
    """
    name, placements = build_submissions(course_dir, assignment)
    run = AdversarialRun(assignment, course_dir, Path(name).stem, placements=placements)
    started = time.perf_counter()
    result = run_nbgrader(course_dir, "autograde", assignment, "--force", timeout=timeout,
                          check=False, env={RUN_MARKER: marker} if marker else None)
    run.elapsed = time.perf_counter() - started
    if marker:
        time.sleep(0.5)  # let killed processes leave the process table
        run.leftovers = marked_processes(marker, course_dir)
    run.returncode, run.output = result.returncode, result.stdout
    run.seconds = grading_seconds(result.stdout, run.notebook)
    students = sorted(p.parent.name for p in (course_dir / "submitted").glob(f"*/{assignment}"))
    run.scores = read_scores(course_dir, assignment, students)
    release = nbformat.read(course_dir / "release" / assignment / name, as_version=4)
    exs = exercises(release, {g: "" for g in _solution_ids(release)})
    run.exercise_cells = {ex.number: [c.metadata.nbgrader["grade_id"] for c in ex.tests]
                          for ex in exs}
    run.exercise_solutions = {ex.number: ex.solution.metadata.nbgrader["grade_id"] for ex in exs}
    return run


def _solution_ids(nb: NotebookNode) -> list[str]:
    return [c.metadata.nbgrader["grade_id"] for c in nb.cells if is_solution(c)]


def marked_processes(marker: str, within: Path | None = None) -> list[str]:
    """Live processes whose environment has RUN_MARKER=marker (and, if *within* is given,
    whose working directory is inside it), as "pid: command" lines."""
    import psutil

    found = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        try:
            if (process.environ().get(RUN_MARKER) != marker or process.status() == "zombie"
                    or (within is not None and not process.cwd().startswith(str(within)))):
                continue
            found.append(f"{process.pid}: {' '.join(process.info['cmdline'] or [])[:80]}")
        except psutil.Error:
            continue
    return found
