"""The lesson-cell rule on the real lessons: no name a graded cell needs is lost by a skipped cell.

For every lesson and every submission the pipeline grades (solution, stub, each catalogue entry),
this collects the names bound by the lesson cells grading skips, then walks the cells that run,
in order, with the test cells as autograde runs them (hidden tests included): a name a running
cell reads that only a skipped cell above it binds would be a NameError at grading that the
student never saw. Nothing is executed, so this runs in the quick tier.
"""

from __future__ import annotations

import pytest
from nbgrader.utils import is_grade, is_solution

from grading.harness import REPO, list_assignments, read_notebooks
from grading.harness.catalogue import build_catalogue
from grading.harness.mistakes import load_mistakes
from grading.lesson_cells import cells_to_skip, lesson_cell_digests, names_of

LESSONS = list_assignments(REPO / "source")


def _as_graded(nb, source_nb):
    """The submission with its test cells as autograde restores them (hidden tests back in)."""
    tests = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in source_nb.cells
             if is_grade(cell) and not is_solution(cell)}
    for cell in nb.cells:
        if is_grade(cell) and not is_solution(cell):
            cell.source = tests.get(cell.metadata["nbgrader"]["grade_id"], cell.source)
    return nb


def lost_names(nb, skipped: set[int]) -> list[str]:
    """One line per name a running cell needs that only a skipped cell above it binds."""
    bound_by_skipped, bound, lost = set(), set(), []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        names = names_of(cell.source)
        if index in skipped:
            bound_by_skipped |= names.binds
            continue
        missing = (set(names.needs) & bound_by_skipped) - bound
        lost += [f"cell {index} needs {name!r}, bound only by a skipped cell" for name in
                 sorted(missing)]
        bound |= names.binds
    return lost


@pytest.mark.parametrize("lesson", LESSONS)
def test_no_skipped_cell_binds_a_name_a_graded_cell_needs(lesson):
    """Every name bound by a skipped lesson cell is either needed by no running cell or bound
    again by one that runs, in every submission of the catalogue."""
    sources = read_notebooks(REPO / "source" / lesson)
    catalogue = build_catalogue(REPO, lesson, load_mistakes(REPO / "tests" / "mistakes" / lesson))
    assert not catalogue.broken, catalogue.broken
    problems = []
    for student, notebooks in catalogue.submissions.items():
        for name, nb in notebooks.items():
            graded = _as_graded(nb, sources[name])
            skipped = set(cells_to_skip(graded, lesson_cell_digests(sources[name])))
            problems += [f"{student}/{name}: {line}" for line in lost_names(graded, skipped)]
    assert not problems, "\n".join(problems)


def test_the_check_finds_a_lost_name():
    """A running cell needing a name that only a skipped cell binds is reported; one bound again
    by a running cell is not."""
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell("import threading"), new_code_cell("threading.Thread"),
                             new_code_cell("import threading"), new_code_cell("threading.Lock")])
    assert lost_names(nb, {0}) == ["cell 1 needs 'threading', bound only by a skipped cell"]
    assert lost_names(nb, {0, 1}) == []
