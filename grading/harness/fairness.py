"""Fair grading, checked: each visible test's verdict in the student's kernel equals autograde's.

A student runs *Restart and Run All* in a plain kernel and sees each visible test pass or fail;
autograde then runs the same cells under its own rules (lesson cells it skips, time limits, the
seal, hidden tests). For every test cell the two must agree on the visible part:

- in the student's kernel a test cell passes when it raised nothing (the release holds only its
  visible lines);
- in the autograded notebook a test cell's visible part passed when the cell raised nothing, or
  raised from a line at or after its ``### BEGIN HIDDEN TESTS`` marker (IPython's traceback
  names the cell's own line first).

    runs = run_in_kernels({"alice": submission_folder}, parallel=2)
    mismatches = compare(runs["alice"].verdicts["notebook"], graded_verdicts(autograded_notebook))
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbgrader.utils import is_grade, is_solution

from ..feedback import failing_line, hidden_from

__all__ = ["Verdict", "KernelRun", "kernel_verdicts", "graded_verdicts", "cell_errors",
           "run_in_kernels", "compare"]


@dataclass(frozen=True)
class Verdict:
    """Whether a test cell's visible part passed, and the error it showed if not."""

    passed: bool
    error: str = ""

    def __str__(self) -> str:
        return "passed" if self.passed else f"failed ({self.error})"


@dataclass(frozen=True)
class KernelRun:
    """One submission run top to bottom in a plain kernel."""

    verdicts: dict[str, dict[str, Verdict]]  # {notebook: {grade_id: Verdict}}
    errors: dict[str, list[str]]  # {notebook: an error line for each cell that raised}


def _tests(nb):
    return [cell for cell in nb.cells
            if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell)]


def _error(cell):
    return next((o for o in cell.get("outputs", []) if o.output_type == "error"), None)


def _describe(output) -> str:
    return f"{output.ename}: {output.evalue}".splitlines()[0][:200]


def kernel_verdicts(nb) -> dict[str, Verdict]:
    """{grade_id: Verdict} of a notebook run in a plain kernel (its test cells are visible only)."""
    verdicts = {}
    for cell in _tests(nb):
        error = _error(cell)
        verdicts[cell.metadata.nbgrader["grade_id"]] = (
            Verdict(True) if error is None else Verdict(False, _describe(error)))
    return verdicts


def cell_errors(nb) -> list[str]:
    """One line per cell of a run notebook that raised: its number and the error."""
    return [f"cell {number}: {_describe(error)}" for number, cell in enumerate(nb.cells, 1)
            if cell.cell_type == "code" and (error := _error(cell)) is not None]


def graded_verdicts(nb) -> dict[str, Verdict]:
    """{grade_id: Verdict of the visible part} of an autograded notebook."""
    verdicts = {}
    for cell in _tests(nb):
        error = _error(cell)
        hidden = hidden_from(cell.source)
        line = failing_line(error) if error is not None else None
        passed = error is None or (hidden is not None and line is not None and line > hidden)
        verdicts[cell.metadata.nbgrader["grade_id"]] = (
            Verdict(True) if passed else Verdict(False, _describe(error)))
    return verdicts


def compare(student: dict[str, Verdict], graded: dict[str, Verdict]) -> list[str]:
    """One line per test cell whose visible verdict differs (empty: fair)."""
    return [f"{grade_id}: in the student's kernel {student.get(grade_id, 'missing')}, "
            f"in autograde {graded.get(grade_id, 'missing')}"
            for grade_id in sorted(set(student) | set(graded))
            if (student.get(grade_id) or Verdict(False)).passed
            != (graded.get(grade_id) or Verdict(False)).passed]


async def _run_one(folder: Path, kernel_name: str, cell_timeout: int, env: dict[str, str],
                   limit: asyncio.Semaphore) -> KernelRun:
    """Run every notebook of a submission folder, top to bottom, in a scratch copy of it."""
    async with limit:
        with tempfile.TemporaryDirectory(prefix="student-kernel-") as scratch:
            work = Path(scratch) / folder.name
            shutil.copytree(folder, work)
            verdicts, errors = {}, {}
            for path in sorted(work.glob("*.ipynb")):
                nb = nbformat.read(path, as_version=4)
                client = NotebookClient(nb, timeout=cell_timeout, kernel_name=kernel_name,
                                        allow_errors=True, resources={"metadata": {"path": work}})
                await client.async_execute(env={**os.environ, **env})
                verdicts[path.stem], errors[path.stem] = kernel_verdicts(nb), cell_errors(nb)
            return KernelRun(verdicts, errors)


def run_in_kernels(folders: dict[str, Path], *, parallel: int = 2, kernel_name: str = "python3",
                   cell_timeout: int = 120, envs: dict[str, dict[str, str]] | None = None
                   ) -> dict[str, KernelRun]:
    """Run each student's submission as *Restart and Run All* would, *parallel* at a time.

    Args:
        folders: {student: their submission folder (notebooks plus helper files)}.
        parallel: kernels running at once (they mostly wait on sleeps and each other).
        kernel_name: the kernel to run them on.
        cell_timeout: seconds per cell (visible tests bound their own waits far below this).
        envs: {student: variables added to that kernel's environment}, e.g. COURSE_CPUS.

    Returns:
        {student: their KernelRun}.
    """
    envs = envs or {}

    async def run_all():
        limit = asyncio.Semaphore(parallel)
        names = list(folders)
        results = await asyncio.gather(*(_run_one(Path(folders[name]), kernel_name,
                                                  cell_timeout, envs.get(name, {}), limit)
                                         for name in names))
        return dict(zip(names, results))

    return asyncio.run(run_all())
