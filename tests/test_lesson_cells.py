"""Tests for course.lesson_cells: autograde skips unchanged lesson cells, runs everything else."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from course.lesson_cells import SKIP_TAG, SkipUnchangedLessonCells, lesson_cell_digests


def graded(source, **flags):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": "x", "schema_version": 3, **flags}
    return cell


def lesson():
    return new_notebook(cells=[
        graded("import course", locked=True),
        new_code_cell("demo = course.run('cpu')"),
        graded("def f():\n    return 1", solution=True),
        new_code_cell("f()  # self-check"),
        graded("assert f() == 1", grade=True, points=1),
    ])


@pytest.fixture
def course_dir(tmp_path):
    """A course with source/a1/lesson.ipynb."""
    (tmp_path / "source" / "a1").mkdir(parents=True)
    nbformat.write(lesson(), tmp_path / "source" / "a1" / "lesson.ipynb")
    return tmp_path


def run(course_dir, nb, enabled=True):
    config = Config()
    config.CourseDirectory.root = str(course_dir)
    config.SkipUnchangedLessonCells.enabled = enabled
    resources = {"nbgrader": {"assignment": "a1", "notebook": "lesson"}}
    return SkipUnchangedLessonCells(config=config).preprocess(nb, resources)[0]


def skipped(nb):
    return [i for i, cell in enumerate(nb.cells) if SKIP_TAG in cell.metadata.get("tags", [])]


class TestLessonCellDigests:
    def test_only_plain_code_cells(self):
        """Only plain code cells count as lesson cells; nbgrader cells never do."""
        assert len(lesson_cell_digests(lesson())) == 2


class TestSkipUnchangedLessonCells:
    def test_skips_unchanged_lesson_cells(self, course_dir):
        """Unchanged demo and self-check cells are tagged to be skipped; graded cells are not."""
        assert skipped(run(course_dir, lesson())) == [1, 3]

    def test_runs_cells_a_student_edited_or_added(self, course_dir):
        """A lesson cell the student changed, or a cell they added, still runs."""
        nb = lesson()
        nb.cells[1].source = "demo = course.run('io')"
        nb.cells.insert(2, new_code_cell("def helper():\n    return 2"))
        assert skipped(run(course_dir, nb)) == [4]

    def test_missing_source_runs_everything(self, tmp_path):
        """Without the instructor's source notebook, nothing is skipped."""
        assert skipped(run(tmp_path, lesson())) == []

    def test_can_be_disabled(self, course_dir):
        """enabled = False leaves the notebook as it is."""
        assert skipped(run(course_dir, lesson(), enabled=False)) == []
