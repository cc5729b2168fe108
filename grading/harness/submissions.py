"""Build student submissions from a release: replace solution cells, matched by grade_id.

A submission starts as a deep copy of the *release* notebook, so every locked and test cell is
exactly what students receive; only solution cells change. The release's other files (helper
modules) are copied next to it, as a student's folder would hold them.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import ClearSolutions
from nbgrader.utils import is_solution

# The delimiters nbgrader's ClearSolutions looks for (the course keeps nbgrader's defaults).
BEGIN_SOLUTION = ClearSolutions.begin_solution_delimeter.default_value
END_SOLUTION = ClearSolutions.end_solution_delimeter.default_value


def solution_text(source: str) -> str:
    """Return a source cell's answer as a student would type it into the release.

    ClearSolutions drops every line containing a delimiter and replaces what lies between with
    the stub, so the answer is the cell without its delimiter lines. A solution cell without a
    region is replaced whole, and its answer is the whole cell: the same rule gives that too.
    """
    lines = source.split("\n")
    return "\n".join(line for line in lines
                     if BEGIN_SOLUTION not in line and END_SOLUTION not in line)


def solution_ids(nb: NotebookNode) -> list[str]:
    """Return the grade_ids of a notebook's solution cells, in order."""
    return [cell.metadata.nbgrader["grade_id"] for cell in nb.cells if is_solution(cell)]


def solution_cells(source_nb: NotebookNode) -> dict[str, str]:
    """Return {grade_id: answer} for every solution cell of a *source* notebook."""
    return {cell.metadata.nbgrader["grade_id"]: solution_text(cell.source)
            for cell in source_nb.cells if is_solution(cell)}


def build_submission(release_nb: NotebookNode, cells_by_grade_id: dict[str, str]) -> NotebookNode:
    """Return a copy of a release notebook with some solution cells replaced.

    Args:
        release_nb: the notebook students receive (left unchanged).
        cells_by_grade_id: new source per solution-cell grade_id; other cells stay as released.

    Returns:
        The submission notebook.

    Raises:
        KeyError: a grade_id is not a solution cell of the release (names the valid ones).
    """
    known = solution_ids(release_nb)
    unknown = sorted(set(cells_by_grade_id) - set(known))
    if unknown:
        raise KeyError(f"no solution cell with grade_id {', '.join(map(repr, unknown))} "
                       f"(solution cells: {', '.join(known)})")
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        if is_solution(cell) and cell.metadata.nbgrader["grade_id"] in cells_by_grade_id:
            cell.source = cells_by_grade_id[cell.metadata.nbgrader["grade_id"]]
    return nb


def read_notebooks(folder: Path | str) -> dict[str, NotebookNode]:
    """Return {file name: notebook} for every .ipynb of an assignment folder."""
    return {path.name: nbformat.read(path, as_version=4)
            for path in sorted(Path(folder).glob("*.ipynb"))}


def write_submission(course_dir: Path | str, assignment: str, student: str,
                     notebooks: dict[str, NotebookNode]) -> Path:
    """Put a student's submission under submitted/<student>/<assignment>/.

    Args:
        course_dir: the course root holding release/<assignment>/.
        assignment: the assignment name.
        student: the student id.
        notebooks: {file name: notebook} to write; notebooks not given stay as released.

    Returns:
        The submission folder, holding the release's files plus the given notebooks.
    """
    release = Path(course_dir) / "release" / assignment
    folder = Path(course_dir) / "submitted" / student / assignment
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(release, folder)
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / name)
    return folder
