"""Sanitizing a submission: trust none of its nbgrader metadata, put back missing locked cells."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader.api import Gradebook
from nbgrader.preprocessors import OverwriteCells

__all__ = ["RestoreCells"]


class RestoreCells(OverwriteCells):
    """nbgrader's OverwriteCells, trusting nothing of the submitted nbgrader metadata.

    With ``add_missing_cells`` (nbgrader's own switch), every missing locked cell is put back
    after the nearest known cell above it, not only grade cells: nbgrader's own version fails
    when the cell above a missing test is missing too. Missing solution cells stay missing:
    their stub would overwrite functions the student defined elsewhere.
    """

    def preprocess(self, nb, resources):
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.db_url = resources["nbgrader"]["db_url"]
        self.gradebook = Gradebook(self.db_url)
        with self.gradebook:
            notebook = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
            known = _known_cells(notebook)
            self._normalize(nb, known)
            nb, resources = super(OverwriteCells, self).preprocess(nb, resources)
            if self.add_missing_cells:
                self._put_back(nb, notebook.source_cells, known)
        return nb, resources

    def _normalize(self, nb, known: dict) -> None:
        """Drop metadata of unknown or duplicate cells (the last copy wins, as in nbgrader);
        give the others the gradebook's flags."""
        seen = set()
        for cell in reversed(nb.cells):
            meta = cell.metadata.get("nbgrader")
            if meta is None:
                continue
            grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
            if not isinstance(grade_id, str) or grade_id not in known or grade_id in seen:
                self.log.warning("Dropping nbgrader metadata of a cell the assignment does not "
                                 "have (or has twice): %r", grade_id)
                del cell.metadata["nbgrader"]
                continue
            seen.add(grade_id)
            cell.metadata["nbgrader"] = dict(known[grade_id])
            if known[grade_id]["locked"]:
                cell.metadata.pop("tags", None)  # e.g. skip-execution would skip a test
                cell.metadata.update(deletable=False, editable=False)

    def _put_back(self, nb, source_cells, known: dict) -> None:
        """Insert every missing locked cell after the nearest present cell above it."""
        present = {cell.metadata.nbgrader["grade_id"]: cell for cell in nb.cells
                   if "nbgrader" in cell.metadata}
        anchor = None
        for source in source_cells:
            if source.name in present:
                anchor = present[source.name]
                continue
            if not source.locked:
                continue
            self.log.warning("Putting back missing cell %s", source.name)
            cell = _restored_cell(source, known[source.name])
            at = next((i + 1 for i, c in enumerate(nb.cells) if c is anchor), 0)
            nb.cells.insert(at, cell)
            anchor = cell


def _known_cells(notebook) -> dict[str, dict]:
    """{grade_id: the nbgrader metadata the gradebook says the cell has}."""
    points = {cell.name: float(cell.max_score) for cell in notebook.grade_cells}
    solutions = {cell.name for cell in notebook.solution_cells}
    tasks = {cell.name for cell in notebook.task_cells}
    known = {}
    for source in notebook.source_cells:
        meta = {"cell_type": source.cell_type, "grade": source.name in points,
                "grade_id": source.name, "locked": bool(source.locked), "schema_version": 3,
                "solution": source.name in solutions, "checksum": source.checksum}
        if source.name in points:
            meta["points"] = points[source.name]
        if source.name in tasks:
            meta["task"] = True
        known[source.name] = meta
    return known


def _restored_cell(source, meta: dict):
    note = f"This cell ({source.name}) was missing from the submission; the autograder put it back."
    metadata = {"nbgrader": dict(meta), "deletable": False, "editable": False}
    if source.cell_type == "code":
        return new_code_cell(f"# {note}\n{source.source}", metadata=metadata)
    return new_markdown_cell(f"*{note}*\n\n{source.source}", metadata=metadata)


