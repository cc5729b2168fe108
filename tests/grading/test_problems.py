"""Tests for grading.problems: what could not be graded, and why."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from grading.problems import MISSING, NOT_GRADED, NOTE, find_problems, unreadable


def _submit(root, student, files: dict[str, str], graded=()):
    folder = root / "submitted" / student / "a"
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_text(content)
    for name in graded:
        out = root / "autograded" / student / "a"
        out.mkdir(parents=True, exist_ok=True)
        nbformat.write(new_notebook(), out / name)


class TestFindProblems:
    @pytest.fixture
    def course(self, tmp_path):
        (tmp_path / "release" / "a").mkdir(parents=True)
        nbformat.write(new_notebook(), tmp_path / "release" / "a" / "n.ipynb")
        return tmp_path

    def test_each_kind_of_problem(self, course):
        """Invalid, empty, renamed, missing and unexplained ungraded notebooks are listed."""
        good = nbformat.writes(new_notebook())
        _submit(course, "ok", {"n.ipynb": good}, graded=["n.ipynb"])
        _submit(course, "cut", {"n.ipynb": '{"cells": ['})
        _submit(course, "empty", {"n.ipynb": ""})
        _submit(course, "renamed", {"n-Copy1.ipynb": good})
        _submit(course, "gone", {"helper.py": ""})
        _submit(course, "crashed", {"n.ipynb": good})
        found = {p.student: (p.kind, p.reason) for p in find_problems(course, "a")}
        assert found == {
            "cut": (NOT_GRADED, "not valid JSON (Expecting value, line 1)"),
            "empty": (NOT_GRADED, "empty file (0 bytes)"),
            "renamed": (NOT_GRADED, "no n.ipynb in the submission, but n-Copy1.ipynb: renamed?"),
            "gone": (MISSING, "no n.ipynb in the submission"),
            "crashed": (NOT_GRADED, "autograde failed on it (see its log), or has not run since "
                                    "it was submitted"),
        }

    def test_quotes_the_autograde_log(self, course):
        """An ungraded notebook's reason is the last line of the error nbgrader logged."""
        _submit(course, "bob", {"n.ipynb": nbformat.writes(new_notebook())})
        log = ("[AutogradeApp | ERROR] There was an error processing assignment: "
               f"{course}/submitted/bob/a\n[AutogradeApp | ERROR] Traceback (most recent call "
               "last):\n      File \"x.py\", line 1\n    RuntimeError: no kernel\n    \n"
               "[AutogradeApp | ERROR] There was an error processing assignment 'a' for student "
               "'bob'\n")
        [problem] = find_problems(course, "a", log)
        assert problem.reason == "autograde failed: RuntimeError: no kernel"

    def test_notes_kernel_restarts(self, course):
        """A graded notebook whose kernel was restarted is noted, not counted as serious."""
        _submit(course, "ann", {"n.ipynb": nbformat.writes(new_notebook())}, graded=["n.ipynb"])
        graded = course / "autograded" / "ann" / "a" / "n.ipynb"
        cell = new_code_cell("x")
        cell.outputs = [nbformat.v4.new_output("error", ename="KernelRestarted", evalue="",
                                               traceback=[])]
        nbformat.write(new_notebook(cells=[cell]), graded)
        [problem] = find_problems(course, "a")
        assert (problem.kind, problem.serious) == (NOTE, False)
        assert "restarted" in problem.reason


class TestUnreadable:
    @pytest.mark.parametrize("content, reason", [
        ("", "empty file (0 bytes)"),
        ("{", "not valid JSON (Expecting property name enclosed in double quotes, line 1)"),
        ('{"cells": 1}', "not a valid notebook"),
        (nbformat.writes(new_notebook()), ""),
    ])
    def test_reasons(self, tmp_path, content, reason):
        """Each broken file gets its own reason; a good notebook none."""
        path = tmp_path / "n.ipynb"
        path.write_text(content)
        assert unreadable(path).startswith(reason) and bool(unreadable(path)) == bool(reason)


