"""Run nbgrader on a scratch copy of the course and read the grades back from its gradebook.

Every command runs nbgrader's own command line in the course directory, exactly as an instructor
would, with the virtual environment's bin/ first on PATH: nbgrader runs the `alembic` command when
it creates a gradebook, and fails half-way without it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import read as read_notebook
from traitlets.config.loader import PyFileConfigLoader

from ..processes import kill_tree

REPO = Path(__file__).resolve().parents[2]
CONFIG = "nbgrader_config.py"
VALIDATE_SUCCESS = "Success! Your notebook passes all the tests."


class NbgraderError(RuntimeError):
    """An nbgrader command failed or ran out of time; the message holds its output."""


@dataclass
class CellScore:
    """The grade of one test cell, with the error it printed (if any)."""

    score: float
    max_score: float
    error: str = ""

    def __str__(self) -> str:
        text = f"{_points(self.score)}/{_points(self.max_score)}"
        return f"{text} ({self.error})" if self.error else text


@dataclass
class NotebookScore:
    """The grades of one submitted notebook: its total and each test cell."""

    score: float
    max_score: float
    cells: dict[str, CellScore] = field(default_factory=dict)
    other_errors: dict[str, str] = field(default_factory=dict)  # e.g. a solution cell that raised

    def __str__(self) -> str:
        lines = [f"{_points(self.score)}/{_points(self.max_score)}"]
        lines += [f"    {grade_id}: {cell}" for grade_id, cell in self.cells.items()]
        lines += [f"    {grade_id} raised {error}" for grade_id, error in self.other_errors.items()]
        return "\n".join(lines)


def make_course(course_dir: Path | str, source_root: Path | str,
                assignments: list[str] | None = None) -> Path:
    """Create a scratch course: the repository's nbgrader_config.py plus source assignments.

    Args:
        course_dir: an empty or missing directory to become the course root.
        source_root: a folder of assignments (like the repository's source/).
        assignments: the assignment folders to copy (default: all of them).

    Returns:
        The course directory.
    """
    course_dir, source_root = Path(course_dir), Path(source_root)
    course_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / CONFIG, course_dir / CONFIG)
    names = assignments if assignments is not None else list_assignments(source_root)
    for name in names:
        shutil.copytree(source_root / name, course_dir / "source" / name,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    return course_dir


def list_assignments(source_root: Path | str) -> list[str]:
    """Return the sorted names of the assignment folders (those holding a notebook)."""
    root = Path(source_root)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def load_config(course_dir: Path | str = REPO):
    """Return the traitlets Config that a course's nbgrader_config.py sets."""
    return PyFileConfigLoader(CONFIG, path=str(course_dir)).load_config()


def run_nbgrader(course_dir: Path | str, *args: str, timeout: float = 600,
                 check: bool = True, env: dict[str, str] | None = None
                 ) -> subprocess.CompletedProcess:
    """Run `nbgrader <args>` in a course directory.

    Args:
        course_dir: the course root (nbgrader reads its config from the working directory).
        *args: the command line after `nbgrader`.
        timeout: seconds before nbgrader and every process it started (kernels too) are killed.
        check: raise if nbgrader exits with an error.
        env: variables to add to nbgrader's environment (and so to all it starts).

    Returns:
        The finished process, with stdout and stderr merged into .stdout and the run time in
        seconds in .elapsed.

    Raises:
        NbgraderError: nbgrader failed (when check is true) or ran out of time.
    """
    command = [sys.executable, "-m", "nbgrader", *args]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=course_dir, env={**_environment(), **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               stdin=subprocess.DEVNULL)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_tree(process.pid)
        output, _ = process.communicate()
        raise NbgraderError(f"`nbgrader {' '.join(args)}` did not finish within {timeout} s:\n"
                            f"{_tail(output)}") from None
    except BaseException:  # e.g. pytest-timeout or Ctrl-C: leave no nbgrader or kernel behind
        kill_tree(process.pid)
        raise
    result = subprocess.CompletedProcess(command, process.returncode, output, None)
    result.elapsed = time.perf_counter() - started
    if check and process.returncode != 0:
        raise NbgraderError(f"`nbgrader {' '.join(args)}` failed with exit code "
                            f"{process.returncode}:\n{_tail(output)}")
    return result


def validate(course_dir: Path | str, notebook: Path | str, *, timeout: float = 600) -> float:
    """Run `nbgrader validate` on a notebook and return the seconds it took.

    Raises:
        NbgraderError: any test cell failed, or nbgrader itself failed.
    """
    result = run_nbgrader(course_dir, "validate", str(notebook), timeout=timeout)
    if VALIDATE_SUCCESS not in result.stdout:
        raise NbgraderError(f"`nbgrader validate {notebook}` did not pass:\n{_tail(result.stdout)}")
    return result.elapsed


def generate_assignment(course_dir: Path | str, assignment: str = "*", *,
                        timeout: float = 600) -> float:
    """Run `nbgrader generate_assignment <assignment> --force`; return the seconds it took.

    The default "*" generates every assignment of source/ in one run (nbgrader takes a glob).
    """
    return run_nbgrader(course_dir, "generate_assignment", assignment, "--force",
                        timeout=timeout).elapsed


def autograde(course_dir: Path | str, assignment: str, students: list[str] | None = None, *,
              timeout: float = 600, check: bool = True, seconds: dict[str, float] | None = None
              ) -> dict[str, dict[str, NotebookScore]]:
    """Autograde every submission of an assignment in one nbgrader run and read the grades.

    Args:
        course_dir: the course root with submitted/<student>/<assignment>/.
        assignment: the assignment name.
        students: whose grades to return (default: every submitted student).
        timeout: seconds for the whole run.
        check: raise if nbgrader reports an error for any submission.
        seconds: a dict to fill with {student: seconds their notebooks took to execute}.

    Returns:
        {student: {notebook name without .ipynb: NotebookScore}}; a student nbgrader could not
        grade (only possible with check=False) is missing.

    Raises:
        NbgraderError: nbgrader failed (when check is true) or ran out of time.
    """
    result = run_nbgrader(course_dir, "autograde", assignment, "--force", timeout=timeout,
                          check=check)
    if seconds is not None:
        seconds.update(grading_seconds(result.stdout))
    if students is None:
        students = sorted(p.parent.name for p in
                          Path(course_dir, "submitted").glob(f"*/{assignment}"))
    return read_scores(course_dir, assignment, students)


_RAN = re.compile(r"GuardedExecute: (?P<student>[^/\s]+)/(?P<notebook>\S+) ran in "
                  r"(?P<seconds>[\d.]+) s")


def grading_seconds(log: str, notebook: str | None = None) -> dict[str, float]:
    """{student: seconds GuardedExecute spent running their notebooks (or only *notebook*)},
    read from autograde's log."""
    seconds: dict[str, float] = {}
    for match in _RAN.finditer(log):
        if notebook is not None and match["notebook"] != notebook:
            continue
        seconds[match["student"]] = seconds.get(match["student"], 0.0) + float(match["seconds"])
    return seconds


def read_scores(course_dir: Path | str, assignment: str,
                students: list[str]) -> dict[str, dict[str, NotebookScore]]:
    """Read grades from a course's gradebook, with the error each failed test cell printed."""
    from nbgrader.api import Gradebook, MissingEntry

    course_dir = Path(course_dir)
    course_id = load_config(course_dir).CourseDirectory.course_id
    scores: dict[str, dict[str, NotebookScore]] = {}
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}", course_id) as gradebook:
        for student in students:
            folder = course_dir / "autograded" / student / assignment
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                continue
            if not folder.is_dir():
                continue  # a failed regrade removes the folder but keeps stale grades
            scores[student] = {nb.name: _notebook_score(nb, folder / f"{nb.name}.ipynb")
                               for nb in submission.notebooks}
    return scores


def _notebook_score(submitted, path: Path) -> NotebookScore:
    """Turn a gradebook SubmittedNotebook into a NotebookScore (errors read from the notebook)."""
    errors = _cell_errors(path)
    cells = {grade.name: CellScore(grade.score, grade.max_score, errors.pop(grade.name, ""))
             for grade in submitted.grades}
    return NotebookScore(submitted.score, submitted.max_score, cells, errors)


def _cell_errors(path: Path) -> dict[str, str]:
    """Return {grade_id or cell-<index>: 'Name: message'} for each cell of a graded notebook
    that raised, in notebook order."""
    if not path.exists():
        return {}
    errors = {}
    for index, cell in enumerate(read_notebook(path, as_version=4).cells):
        name = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell-{index}")
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                errors[name] = f"{output.ename}: {output.evalue}"[:300]
    return errors


def _environment() -> dict[str, str]:
    """The environment with this Python's bin/ first on PATH (for nbgrader's `alembic` call)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _tail(output: str, lines: int = 80) -> str:
    """The last lines of a command's output."""
    return "\n".join(output.splitlines()[-lines:])


def _points(value: float | None) -> str:
    """Show 3.0 as 3 and 2.5 as 2.5."""
    return "None" if value is None else f"{value:g}"
