"""Lesson 1's notebook: its prose cells are lesson.text's, and it charts its own threads.

The shape every lesson shares (five exercises, the share of plain code) is checked by
tests/test_lesson_shape.py.
"""

import ast
import json
from pathlib import Path

import pytest

NOTEBOOK = (Path(__file__).resolve().parents[3] / "source" / "01-threads-vs-processes"
            / "threads-vs-processes.ipynb")


@pytest.fixture(scope="module")
def cells():
    return json.loads(NOTEBOOK.read_text())["cells"]


def lesson_code(cells):
    """The code cells before the first exercise: (source, hidden?) pairs."""
    found = []
    for cell in cells:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and "## Exercise" in text:
            break
        if cell["cell_type"] == "code":
            found.append((text, bool(cell["metadata"].get("jupyter", {}).get("source_hidden"))))
    return found


def test_hidden_cells_only_turn_numbers_into_prose(cells):
    """Every hidden cell is one call of lesson.text; no visible cell builds Markdown itself."""
    for text, hidden in lesson_code(cells):
        if hidden:
            call = ast.parse(text).body
            assert len(call) == 1 and ast.unparse(call[0]).startswith("lesson.text."), text
        else:
            assert "Markdown(" not in text and "lesson.text." not in text, text


def test_setup_imports_the_lesson_package_and_the_seal(cells):
    """The setup cell imports the lesson as `lesson`, the testing helpers, and takes the seal."""
    setup = next("".join(c["source"]) for c in cells
                 if c["metadata"].get("nbgrader", {}).get("grade_id") == "setup")
    assert "from course.lessons import threads as lesson" in setup
    assert "from course import doctor, testing" in setup
    assert "_grading_fingerprint = testing.fingerprint()" in setup and "doctor.show()" in setup


def test_the_lesson_charts_its_own_threads(cells):
    """The lesson records its own plain threads with a Recorder and plots them."""
    text = "".join("".join(c["source"]) for c in cells)
    assert "rec = course.Recorder()" in text and 'with rec.span("wait"):' in text
    assert ".plot(" in text
