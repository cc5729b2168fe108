"""The standard catalogue of an assignment: its solution, its untouched release and its mistakes.

`run_pipeline` proves an assignment end to end in a scratch course: validate the source,
generate the release, build one submission per catalogue entry, autograde them all in one run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from nbformat import NotebookNode

from .commands import NbgraderError, NotebookScore, autograde, generate_assignment
from .commands import validate as validate_notebook
from .mistakes import Mistake, MistakeFormatError, parse_mistake
from .submissions import build_submission, read_notebooks, solution_cells, write_submission

SOLUTION = "solution"
STUB = "stub"


@dataclass(frozen=True)
class Assignment:
    """An assignment folder and the folder of its catalogued mistakes.

    Attributes:
        name: the folder name, e.g. "01-threads-vs-processes".
        source_root: the folder holding source/<name>-style folders.
        mistakes_root: the folder holding <name>/<mistake>.py files.
    """

    name: str
    source_root: Path
    mistakes_root: Path

    @property
    def source(self) -> Path:
        """The assignment's source folder."""
        return self.source_root / self.name

    def mistake_files(self) -> list[Path]:
        """The catalogued mistake files, sorted by name."""
        return sorted((self.mistakes_root / self.name).glob("*.py"))


@dataclass
class PipelineRun:
    """What running the pipeline on one assignment produced.

    Attributes:
        assignment: the assignment.
        course_dir: the scratch course it ran in (kept for inspection after a failure).
        scores: {student: {notebook: NotebookScore}} from the gradebook.
        mistakes: the mistakes that were graded, by student id.
        broken: {mistake file name: why no submission could be built from it}.
        validation: {notebook: nbgrader's complaint} for source notebooks that failed validate.
        timings: seconds per step ("validate", "generate", "autograde").
        seconds: {student: seconds autograde spent executing their submission}.
        solution_ids: {notebook: grade_ids of its solution cells}.
    """

    assignment: Assignment
    course_dir: Path
    scores: dict[str, dict[str, NotebookScore]] = field(default_factory=dict)
    mistakes: dict[str, Mistake] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)
    validation: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    solution_ids: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Catalogue:
    """The submissions built for an assignment.

    Attributes:
        submissions: {student: {notebook file: submission}}; the stub's dict is empty because
            write_submission leaves notebooks it is not given as released.
        mistakes: {student: mistake}, each with `notebook` set to the notebook it changes.
        broken: {mistake name: why no submission could be built from it}.
    """

    submissions: dict[str, dict[str, NotebookNode]]
    mistakes: dict[str, Mistake]
    broken: dict[str, str]


def build_catalogue(course_dir: Path, assignment: str, mistakes: list[Mistake]) -> Catalogue:
    """Build the solution, stub and mistake submissions from an assignment's release.

    Args:
        course_dir: a course holding source/<assignment> and its generated release/<assignment>.
        assignment: the assignment name.
        mistakes: the mistakes to build; every notebook they do not name gets the solution.

    Returns:
        The Catalogue.
    """
    release = read_notebooks(course_dir / "release" / assignment)
    answers = {name: solution_cells(nb)
               for name, nb in read_notebooks(course_dir / "source" / assignment).items()}
    solved = {name: build_submission(nb, answers[name]) for name, nb in release.items()}
    catalogue = Catalogue({SOLUTION: solved, STUB: {}}, {}, {})
    for mistake in mistakes:
        try:
            notebook = _mistake_notebook(mistake, release)
            wrong = build_submission(release[notebook], {**answers[notebook], **mistake.cells})
        except (KeyError, ValueError) as error:
            catalogue.broken[mistake.name] = f"{mistake.path}: {error.args[0]}"
            continue
        catalogue.submissions[mistake.student] = {**solved, notebook: wrong}
        catalogue.mistakes[mistake.student] = replace(mistake, notebook=notebook)
    return catalogue


def expected_scores(max_scores: dict[str, float], mistake: Mistake | None = None
                    ) -> dict[str, float]:
    """Return the score each notebook must get: full marks, less what a mistake must lose.

    Args:
        max_scores: {notebook name without .ipynb: maximum score}.
        mistake: the mistake graded (with its notebook resolved), or None for the solution.
    """
    expected = dict(max_scores)
    if mistake is not None:
        notebook = Path(mistake.notebook).stem
        expected[notebook] = max_scores[notebook] - mistake.loses
    return expected


def run_pipeline(assignment: Assignment, course_dir: Path, *, generate: bool = True,
                 mistakes: bool = True, validate: bool = True,
                 timeout: float = 900) -> PipelineRun:
    """Validate, generate, build every catalogue submission and autograde them in one run.

    Args:
        assignment: the assignment to prove.
        course_dir: a scratch course holding source/<name> (see grading.make_course).
        generate: run generate_assignment first (False when release/<name> is already fresh).
        mistakes: grade the catalogue's entries too (else only the solution and the stub).
        validate: run `nbgrader validate` on the source notebooks first.
        timeout: seconds allowed for each nbgrader command.

    Returns:
        The PipelineRun; problems are recorded in it rather than raised, so each test can
        report the part it checks.

    Raises:
        NbgraderError: generate_assignment or autograde failed outright.
    """
    run = PipelineRun(assignment, course_dir)
    name = assignment.name
    if validate:
        run.timings["validate"] = _validate_all(run, course_dir / "source" / name, timeout)
    if generate:
        run.timings["generate"] = generate_assignment(course_dir, name, timeout=timeout)
    entries = _parse_all(run, assignment.mistake_files()) if mistakes else []
    catalogue = build_catalogue(course_dir, name, entries)
    run.broken.update(catalogue.broken)
    run.mistakes = catalogue.mistakes
    for student, notebooks in catalogue.submissions.items():
        write_submission(course_dir, name, student, notebooks)
    started = time.perf_counter()
    run.scores = autograde(course_dir, name, sorted(catalogue.submissions), timeout=timeout,
                           seconds=run.seconds)
    run.timings["autograde"] = time.perf_counter() - started
    run.solution_ids = {nb: list(solution_cells(source))
                        for nb, source in read_notebooks(assignment.source).items()}
    return run


def _validate_all(run: PipelineRun, source: Path, timeout: float) -> float:
    """Validate every source notebook, recording complaints; return the seconds it took."""
    started = time.perf_counter()
    for path in sorted(source.glob("*.ipynb")):
        try:
            validate_notebook(run.course_dir, path.relative_to(run.course_dir), timeout=timeout)
        except NbgraderError as error:
            run.validation[path.name] = str(error)
    return time.perf_counter() - started


def _parse_all(run: PipelineRun, paths: list[Path]) -> list[Mistake]:
    """Parse mistake files, recording the ones that do not follow the format."""
    mistakes = []
    for path in paths:
        try:
            mistakes.append(parse_mistake(path))
        except MistakeFormatError as error:
            run.broken[path.stem] = str(error)
    return mistakes


def _mistake_notebook(mistake: Mistake, release: dict[str, NotebookNode]) -> str:
    """The notebook file a mistake replaces cells in."""
    if mistake.notebook is not None:
        if mistake.notebook not in release:
            raise ValueError(f"NOTEBOOK {mistake.notebook!r} is not in the release "
                             f"(notebooks: {', '.join(release)})")
        return mistake.notebook
    if len(release) != 1:
        raise ValueError(f"the assignment has {len(release)} notebooks ({', '.join(release)}): "
                         'set NOTEBOOK = "<name>.ipynb"')
    return next(iter(release))
