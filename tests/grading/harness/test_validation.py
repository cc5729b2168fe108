"""Tests for grading.harness.validation: Validate's responses read as one verdict per test cell,
and compared with autograde's."""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from grading.harness.fairness import Verdict
from grading.harness.validation import ValidateError, disagreements, validate_verdicts

ERROR = "\x1b[31mAssertionError\x1b[0m: f(1) should be 1\n"


def cell(source, grade_id, grade=True, solution=False):
    return new_code_cell(source, metadata={"nbgrader": {
        "grade": grade, "solution": solution, "locked": grade, "grade_id": grade_id,
        "points": 1, "schema_version": 3}})


def notebook():
    return new_notebook(cells=[
        cell("def f(x):\n    return x", "answer", grade=False, solution=True),
        cell("assert f(1) == 1, 'f(1) should be 1'\n", "one"),
        cell("assert f(2) == 2", "two"),
        new_code_cell("f(3)"),
    ])


class TestValidateVerdicts:
    def test_passed_and_failed(self):
        """A test listed among the failed cells (by its source) failed; the others passed."""
        response = {"success": True, "value": {"failed": [
            {"source": "assert f(1) == 1, 'f(1) should be 1'", "error": "", "raw_error": ERROR}]}}
        assert validate_verdicts(notebook(), response) == {
            "one": Verdict(False, "AssertionError: f(1) should be 1"), "two": Verdict(True)}

    def test_success(self):
        """nbgrader's success (an empty result) passes every test."""
        assert validate_verdicts(notebook(), {"success": True, "value": {}}) == {
            "one": Verdict(True), "two": Verdict(True)}

    @pytest.mark.parametrize("response", [
        {"success": False, "value": "Traceback ..."},
        {"success": True, "value": {"changed": [{"source": "pass"}]}},
        {"success": True, "value": {"type_changed": []}},
    ])
    def test_no_verdict(self, response):
        """An error or a changed-cells report is no verdict: it raises, naming the response."""
        with pytest.raises(ValidateError, match="Validate gave no verdict"):
            validate_verdicts(notebook(), response)


class TestDisagreements:
    def test_same_verdicts(self):
        """Equal pass/fail verdicts agree, whatever the error texts."""
        assert disagreements({"a": Verdict(False, "x")}, {"a": Verdict(False, "y")}) == []

    def test_different_and_missing(self):
        """A different verdict, or a test only one side has, is one line each."""
        assert disagreements({"a": Verdict(True), "b": Verdict(True)},
                             {"a": Verdict(False, "AssertionError: no")}) == [
            "a: Validate passed, autograde failed (AssertionError: no)",
            "b: Validate passed, autograde missing"]
