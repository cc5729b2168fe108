"""Tests for grading.cli: the listing of what could not be graded, and the exit status."""

from __future__ import annotations

from grading import cli as grade
from grading.problems import NOT_GRADED, NOTE, Problem


class TestGradeScript:
    def test_listing_names_student_notebook_and_reason(self):
        """Each problem is a line naming the student, the notebook and why; exit status 1."""
        problems = [Problem("bob", "a", "n.ipynb", NOT_GRADED, "empty file (0 bytes)"),
                    Problem("ann", "a", "n.ipynb", NOTE, "the kernel was restarted")]
        text = grade.listing(problems, [])
        assert "  bob / a / n.ipynb: not graded: empty file (0 bytes)" in text
        assert "Graded, worth a look:\n  ann / a / n.ipynb: note:" in text
        assert grade.status(problems, []) == 1

    def test_notes_alone_exit_zero(self):
        """Only notes (or nothing) to report: exit status 0."""
        assert grade.status([Problem("a", "a", "n", NOTE, "x")], []) == 0
        assert "Every submitted notebook was graded." in grade.listing([], [])
