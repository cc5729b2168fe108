"""Tests for grading.sanitize: RestoreCells trusts no submitted metadata."""

from __future__ import annotations

import os
import sys

import pytest
from cells import graded_cell, solution
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.api import Gradebook
from nbgrader.utils import compute_checksum

from grading.sanitize import RestoreCells


@pytest.fixture
def gradebook(tmp_path, monkeypatch):
    """A gradebook holding assignment "a", notebook "n": setup, solution, two tests, a markdown."""
    # nbgrader runs the `alembic` command to create a gradebook: the venv's bin/ goes first
    monkeypatch.setenv("PATH", os.pathsep.join([os.path.dirname(sys.executable),
                                                os.environ.get("PATH", "")]))
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    cells = [("intro", "markdown", True, "# Intro"), ("setup", "code", True, "x = 1"),
             ("answer", "code", False, "def f():\n    raise NotImplementedError()"),
             ("t1", "code", True, "assert f() == 1"), ("t2", "code", True, "assert f() > 0")]
    points = {"t1": 1, "t2": 2}
    with Gradebook(url) as gb:
        gb.update_or_create_assignment("a")
        gb.update_or_create_notebook("n", "a")
        for name, kind, locked, source in cells:
            gb.update_or_create_source_cell(name, "n", "a", cell_type=kind, locked=locked,
                                            source=source,
                                            checksum=_checksum(name, kind, source, points))
        gb.update_or_create_solution_cell("answer", "n", "a")
        for name, score in points.items():
            gb.update_or_create_grade_cell(name, "n", "a", max_score=score, cell_type="code")
    return url


def _checksum(name, kind, source, points):
    """nbgrader's checksum of the cell as generate_assignment would have saved it."""
    meta = {"grade_id": name, "grade": name in points, "solution": name == "answer",
            "locked": name != "answer", "points": points.get(name, 0)}
    make = new_code_cell if kind == "code" else new_markdown_cell
    return compute_checksum(make(source, metadata={"nbgrader": meta}))


def restore(gradebook, cells):
    nb = new_notebook(cells=cells)
    resources = {"nbgrader": {"notebook": "n", "assignment": "a", "db_url": gradebook}}
    nb, _ = RestoreCells(add_missing_cells=True).preprocess(nb, resources)
    return nb


def ids(nb) -> list[str]:
    return [c.metadata.get("nbgrader", {}).get("grade_id", "-") for c in nb.cells]


class TestRestoreCells:
    def test_puts_back_missing_locked_cells_in_place(self, gradebook):
        """Every missing locked cell comes back after the nearest cell above it, even when that
        cell is missing too; a missing solution cell stays missing."""
        nb = restore(gradebook, [new_code_cell("def f():\n    return 1"),
                                 graded_cell("pass", "t2", 2)])
        assert ids(nb) == ["intro", "setup", "t1", "-", "t2"]
        assert nb.cells[2].source.endswith("assert f() == 1")
        assert nb.cells[2].source.startswith("# This cell (t1) was missing")

    def test_empty_notebook_gets_every_locked_cell(self, gradebook):
        """A notebook with no cells gets its setup, markdown and tests back, in order."""
        assert ids(restore(gradebook, [])) == ["intro", "setup", "t1", "t2"]

    def test_flags_and_points_come_from_the_gradebook(self, gradebook):
        """grade, solution and points are restored, and a locked cell loses its tags."""
        faked = graded_cell("pass", "t1", 100)
        faked.metadata.nbgrader.update(grade=False, solution=True)
        faked.metadata["tags"] = ["skip-execution"]
        nb = restore(gradebook, [faked])
        cell = nb.cells[ids(nb).index("t1")]
        assert (cell.metadata.nbgrader["grade"], cell.metadata.nbgrader["solution"],
                cell.metadata.nbgrader["points"]) == (True, False, 1.0)
        assert "tags" not in cell.metadata and cell.source == "assert f() == 1"

    @pytest.mark.parametrize("meta", [
        {"grade_id": "nope", "grade": True, "solution": False, "locked": True, "points": 5},
        {"grade": True},
        "not a dict",
    ])
    def test_unknown_or_broken_metadata_is_dropped(self, gradebook, meta):
        """A cell claiming an unknown or no grade_id becomes a plain cell of the student's."""
        cell = new_code_cell("y = 2", metadata={"nbgrader": meta})
        nb = restore(gradebook, [cell])
        assert [c.source for c in nb.cells if "nbgrader" not in c.metadata] == ["y = 2"]

    def test_duplicates_keep_the_last(self, gradebook):
        """Of two cells with one grade_id, the last keeps it (nbgrader's own rule)."""
        nb = restore(gradebook, [solution("first"), solution("second")])
        assert [c.source for c in nb.cells if ids(nb)[nb.cells.index(c)] == "answer"] == [
            "second"]

    def test_a_markdown_cell_is_put_back_as_markdown(self, gradebook):
        """A missing locked markdown cell comes back as markdown."""
        nb = restore(gradebook, [new_markdown_cell("mine")])
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.endswith("# Intro")


# --- what could not be graded --------------------------------------------------------------------
