"""Every lesson keeps the house shape: five exercises whose headings state the points their tests
carry, test cells that say what they check and check the seal, and plain code on the page."""

from __future__ import annotations

import nbformat
import pytest
from nbgrader.utils import is_grade, is_solution

from assignments import LESSONS
from grading.harness.lessons import lesson_shape

NOTEBOOKS = [pytest.param(path, id=f"{case.name}/{path.name}")
             for case in LESSONS for path in sorted(case.source.glob("*.ipynb"))]
SEAL = "testing.verify_fingerprint(_grading_fingerprint)"


def _read(path):
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_five_exercises_with_the_points_their_tests_carry(path):
    """Exercises 1 to 5, each heading's "(K points)" equal to its test cells' points."""
    exercises = lesson_shape(_read(path)).exercises
    assert [e.number for e in exercises] == [1, 2, 3, 4, 5], (
        f"{path.name}: exercises numbered {[e.number for e in exercises]}, expected 1 to 5")
    wrong = [f"exercise {e.number} says {e.points:g}, its tests carry {e.graded:g}"
             for e in exercises if e.points != e.graded]
    assert not wrong, f"{path.name}: {'; '.join(wrong)}"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_test_cells_say_what_they_check_and_check_the_seal(path):
    """Every test cell opens with a \"\"\"Check that ...\"\"\" line, then verifies the seal."""
    bad = []
    for cell in _read(path).cells:
        if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell):
            lines = cell.source.splitlines()
            if len(lines) < 2 or not lines[0].startswith('"""Check') or lines[1] != SEAL:
                bad.append(cell.metadata.nbgrader["grade_id"])
    assert not bad, (f"{path.name}: these test cells do not start with a Check docstring and "
                     f"{SEAL}: {bad}")


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_plain_code_on_the_page(path):
    """At least half the visible lesson code cells use a concurrency primitive in plain sight,
    and every cell that only turns numbers into prose hides its source."""
    shape = lesson_shape(_read(path))
    assert shape.plain_share >= 0.5, (
        f"{path.name}: only {shape.plain} of {shape.lesson_code} visible lesson code cells show "
        "threading, multiprocessing, concurrent.futures, queue or asyncio code in plain sight")
    assert not shape.prose_visible, (
        f"{path.name}: cells {shape.prose_visible} only format prose; hide their source "
        "(metadata jupyter.source_hidden)")
