"""Grade only what a student wrote: skip the lesson's own demonstration cells while autograding.

A lesson notebook is mostly teaching: measurements, charts, widgets. The graded exercises at its
end do not depend on them, yet ``nbgrader autograde`` runs every cell, so each submission costs
the whole lesson's run time (10-20 s) and its charts' timing noise. This preprocessor, placed
before nbgrader's ``Execute``, tags each plain code cell whose source is *unchanged* from the
instructor's source notebook with nbclient's ``skip-execution`` tag.

What still runs: every nbgrader cell (the locked setup cell, solutions, tests) and every cell a
student added or edited, so a helper a student wrote in a cell of their own is still defined.

Used from nbgrader_config.py::

    c.Autograde.autograde_preprocessors = [SkipUnchangedLessonCells, Execute, ...]
"""

from __future__ import annotations

import hashlib
import os

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Unicode

__all__ = ["SkipUnchangedLessonCells", "lesson_cell_digests"]

SKIP_TAG = "skip-execution"  # nbclient's default NotebookClient.skip_cells_with_tag


def _digest(source: str) -> str:
    return hashlib.sha256(source.strip().encode()).hexdigest()


def _is_nbgrader_cell(cell) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return any(meta.get(flag) for flag in ("solution", "grade", "locked", "task"))


def lesson_cell_digests(notebook) -> set[str]:
    """Digests of the plain (non-nbgrader) code cells of an instructor's notebook."""
    return {_digest(cell.source) for cell in notebook.cells
            if cell.cell_type == "code" and not _is_nbgrader_cell(cell) and cell.source.strip()}


class SkipUnchangedLessonCells(NbGraderPreprocessor):
    """Tag unchanged lesson cells so nbgrader's Execute skips them."""

    enabled = Bool(True, help="Skip unchanged lesson cells while autograding.").tag(config=True)
    skip_tag = Unicode(SKIP_TAG, help="The tag nbclient skips.").tag(config=True)

    def preprocess(self, nb, resources):
        if not self.enabled:
            return nb, resources
        digests = self._source_digests(resources)
        skipped = 0
        for cell in nb.cells:
            if (cell.cell_type == "code" and not _is_nbgrader_cell(cell)
                    and _digest(cell.source) in digests):
                tags = cell.metadata.setdefault("tags", [])
                if self.skip_tag not in tags:
                    tags.append(self.skip_tag)
                skipped += 1
        self.log.info("Skipping %d unchanged lesson cells", skipped)
        return nb, resources

    def _source_digests(self, resources) -> set[str]:
        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        path = os.path.join(coursedir.format_path(coursedir.source_directory, ".",
                                                  info.get("assignment", "")),
                            f"{info.get('notebook', '')}.ipynb")
        if not os.path.exists(path):
            self.log.warning("No source notebook at %s: running every cell", path)
            return set()
        return lesson_cell_digests(nbformat.read(path, as_version=4))
