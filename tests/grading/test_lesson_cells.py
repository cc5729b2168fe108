"""Tests for grading.lesson_cells: grading runs the student's work and exactly the lesson cells it
needs, by one rule for every lesson."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from grading.lesson_cells import (SKIP_TAG, Cell, CellNames, SkipLessonCells, cells_to_skip,
                                  lesson_cell_digests, names_of, plan)


def graded(source, grade_id="x", **flags):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, **flags}
    return cell


def lesson():
    """setup (locked), an import, a slow measurement, a solution, a self-check, a test."""
    return new_notebook(cells=[
        graded("%matplotlib inline\nimport course\nfrom course import testing", "setup",
               locked=True),
        new_code_cell("from concurrent.futures import ThreadPoolExecutor\nimport threading"),
        new_code_cell("demo = course.run('cpu')\ndemo"),
        graded("def f():\n    return 1", "answer", solution=True),
        new_code_cell("f()  # self-check"),
        graded("testing.assert_equal(f(), 1, 'f()')", "test", grade=True, locked=True, points=1),
    ])


@pytest.fixture
def course_dir(tmp_path):
    """A scratch course whose only assignment, a1, holds the lesson."""
    (tmp_path / "source" / "a1").mkdir(parents=True)
    nbformat.write(lesson(), tmp_path / "source" / "a1" / "lesson.ipynb")
    return tmp_path


def run(course_dir, nb, enabled=True):
    config = Config()
    config.CourseDirectory.root = str(course_dir)
    config.SkipLessonCells.enabled = enabled
    resources = {"nbgrader": {"assignment": "a1", "notebook": "lesson"}}
    return SkipLessonCells(config=config).preprocess(nb, resources)[0]


def skipped(nb):
    return [i for i, cell in enumerate(nb.cells) if SKIP_TAG in cell.metadata.get("tags", [])]


class TestNamesOf:
    @pytest.mark.parametrize("source, binds, needs", [
        ("x = y + 1", {"x"}, {"y"}),
        ("x = 1\nprint(x)", {"x"}, {"print"}),
        ("x = x + 1", {"x"}, {"x"}),  # reads the x bound above before binding its own
        ("import a.b as c\nfrom d import e\nimport f.g", {"c", "e", "f"}, set()),
        ("def g(n=limit):\n    return pool.map(h, n)", {"g"}, {"limit", "pool", "h"}),
        ("def g():\n    v = 1\n    return v", {"g"}, set()),
        ("class K(Base):\n    size = n\n    def m(self):\n        return other",
         {"K"}, {"Base", "n", "other"}),
        ("squares = [i * k for i in items]", {"squares"}, {"items", "k"}),
        ("for item in things:\n    total = item", {"item", "total"}, {"things"}),
        ("with ThreadPoolExecutor() as pool:\n    r = list(pool.map(f, xs))",
         {"pool", "r"}, {"ThreadPoolExecutor", "list", "f", "xs"}),
        ("def setter():\n    global shared\n    shared = 1", {"setter", "shared"}, set()),
        ("%matplotlib inline\nimport course", {"course"}, {"get_ipython"}),
    ])
    def test_binds_and_needs(self, source, binds, needs):
        """Top-level bindings, and the names read before binding or from inside functions."""
        names = names_of(source)
        assert (set(names.binds), set(names.needs)) == (binds, needs)

    def test_star_imports_and_dynamic_reads_are_flagged(self):
        """A star import binds unknown names; globals() and friends read names unseen."""
        assert names_of("from os import *").star
        assert names_of("print(globals()['x'])").dynamic
        assert not names_of("print(x)").dynamic

    def test_broken_code_binds_and_needs_nothing(self):
        """A cell that does not parse is left to fail where it runs."""
        assert names_of("def broken(:\n") == CellNames()


class TestPlan:
    def test_backwards_closure(self):
        """A needed lesson cell's own needs pull in the lesson cells that provide them."""
        cells = [Cell(CellNames(frozenset({"a"})), lesson=True, student=False),
                 Cell(CellNames(frozenset({"b"}), frozenset({"a"})), lesson=True, student=False),
                 Cell(CellNames(frozenset({"c"})), lesson=True, student=False),
                 Cell(CellNames(needs=frozenset({"b"})), lesson=False, student=True)]
        assert plan(cells) == [True, True, False, True]

    def test_a_cell_below_cannot_serve_a_cell_above(self):
        """Only cells above a running cell can provide what it needs."""
        cells = [Cell(CellNames(needs=frozenset({"a"})), lesson=False, student=True),
                 Cell(CellNames(frozenset({"a"})), lesson=True, student=False)]
        assert plan(cells) == [True, False]

    def test_dynamic_student_code_runs_everything_above(self):
        """globals() in a student's cell: every lesson cell above it runs."""
        cells = [Cell(CellNames(frozenset({"a"})), lesson=True, student=False),
                 Cell(CellNames(dynamic=True), lesson=False, student=True),
                 Cell(CellNames(frozenset({"z"})), lesson=True, student=False)]
        assert plan(cells) == [True, True, False]


class TestLessonCellDigests:
    def test_lesson_cells_are_plain_or_locked_without_points(self):
        """Plain code cells and the locked setup cell are lesson cells; solutions and tests not."""
        assert len(lesson_cell_digests(lesson())) == 4


class TestSkipLessonCells:
    def test_skips_what_nothing_needs(self, course_dir):
        """The measurement, the unused import and the self-check are skipped; setup runs."""
        assert skipped(run(course_dir, lesson())) == [1, 2, 4]

    def test_keeps_a_lesson_import_the_answer_uses(self, course_dir):
        """An answer using ThreadPoolExecutor, imported by a lesson cell, keeps that cell."""
        nb = lesson()
        nb.cells[3].source = ("def f():\n    with ThreadPoolExecutor(2) as pool:\n"
                              "        return pool.submit(int, '1').result()")
        assert skipped(run(course_dir, nb)) == [2, 4]

    def test_runs_cells_a_student_edited_or_added(self, course_dir):
        """A lesson cell the student changed, or a cell they added, runs with what it needs."""
        nb = lesson()
        nb.cells[2].source = "demo = course.run('io')"
        nb.cells.insert(3, new_code_cell("def helper():\n    return threading.active_count()"))
        assert skipped(run(course_dir, nb)) == [5]

    def test_locked_lesson_cells_are_skipped_when_unused(self, course_dir):
        """A locked lesson cell without points (restored from the gradebook) is skippable."""
        nb = lesson()
        nb.cells[2].metadata["nbgrader"] = {"grade_id": "demo", "locked": True,
                                            "schema_version": 3}
        assert 2 in cells_to_skip(nb, lesson_cell_digests(lesson()))

    def test_missing_source_runs_everything(self, tmp_path):
        """Without the instructor's source notebook, nothing is skipped."""
        assert skipped(run(tmp_path, lesson())) == []

    def test_can_be_disabled(self, course_dir):
        """enabled = False leaves the notebook as it is."""
        assert skipped(run(course_dir, lesson(), enabled=False)) == []


@pytest.mark.parametrize("source, needs", [
    ("total += 1", {"total"}),
    ("try:\n    v = risky()\nexcept KeyError as error:\n    print(error)", {"risky", "KeyError",
                                                                          "print"}),
    ("if ready:\n    x = 1\nelse:\n    x = fallback", {"ready", "fallback"}),
])
def test_statements_are_followed_in_order(source, needs):
    """Compound statements bind and read in the order they run."""
    assert set(names_of(source).needs) == needs
