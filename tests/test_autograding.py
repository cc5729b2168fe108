"""Tests for course.autograding: hardened execution, restored cells, problem listings, export.

GuardedExecute tests start real kernels on small notebooks (about 1 s each, plus the time limits
they provoke, kept at 1-2 s). The end-to-end proof, on every lesson, is tests/adversarial/.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
import uuid

import nbformat
import psutil
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute
from nbgrader.utils import compute_checksum

from course.autograding import (MARKER, MISSING, MODIFIED, NOT_GRADED, NOTE, GuardedExecute,
                                Problem, RestoreCells, _annotate, _seal_source, find_problems,
                                kill_marked, unreadable)
from pipeline import REPO, load_config

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def solution(source: str, grade_id: str = "answer"):
    return new_code_cell(source, metadata={"nbgrader": {
        "solution": True, "grade": False, "locked": False, "grade_id": grade_id,
        "schema_version": 3}})


def graded_cell(source: str, grade_id: str, points: float = 1):
    return new_code_cell(source, metadata={"nbgrader": {
        "solution": False, "grade": True, "locked": True, "grade_id": grade_id,
        "points": points, "schema_version": 3}})


def execute(cells, **traits):
    """Run cells with GuardedExecute (short limits); return (notebook, seconds)."""
    limits = dict(timeout=10, solution_timeout=2, interrupt_grace=1, iopub_timeout=5,
                  raise_on_iopub_timeout=False)
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC})
    started = time.perf_counter()
    GuardedExecute(**{**limits, **traits}).preprocess(nb, {"nbgrader": {"student": "s",
                                                                       "notebook": "n"}})
    return nb, time.perf_counter() - started


def errors(cell) -> list[str]:
    return [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]


def text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


class TestGuardedExecute:
    def test_interrupts_a_hang_and_carries_on(self):
        """A hanging solution cell stops at its own limit; the cells below still run."""
        nb, seconds = execute([solution("while True:\n    pass"), new_code_cell("print('after')")])
        assert errors(nb.cells[0])[-1] == ("CellTimeoutError: this cell did not finish within 2 s "
                                           "and was interrupted: deadlock or endless loop?")
        assert text(nb.cells[1]) == "after\n"
        assert seconds < 10, "the solution cell's limit (2 s) applies, not Execute.timeout"

    @pytest.mark.parametrize("payload, words", [
        ("import itertools\nsum(itertools.repeat(1))", "ignored the interrupt"),
        ("import os\nos._exit(0)", "the kernel died"),
    ])
    def test_fresh_kernel_after_a_fatal_cell(self, payload, words):
        """A cell that ignores the interrupt or kills the kernel costs one restart: the cells
        above run again (outputs kept), the cells below run on the fresh kernel."""
        nb, seconds = execute([new_code_cell("x = 41\nprint('once')"), solution(payload),
                               graded_cell("assert x + 1 == 42", "t")])
        assert text(nb.cells[0]) == "once\n"
        assert words in errors(nb.cells[1])[-1] and "KernelRestarted" in errors(nb.cells[1])[-1]
        assert errors(nb.cells[2]) == []
        assert seconds < 15

    def test_fresh_kernel_when_the_seal_check_hangs(self):
        """A kernel that stops answering between cells (here: the seal check hangs) is
        restarted; the graded cell fails with the reason and grading goes on."""
        stall = ("import time\n"
                 "def _stall(lines):\n"
                 "    if '.check()' in ''.join(lines):\n"
                 "        time.sleep(60)\n"
                 "    return lines\n"
                 "get_ipython().input_transformers_post.append(_stall)")
        nb, seconds = execute([new_code_cell(stall), graded_cell("pass", "t"),
                               new_code_cell("print('after')")], max_restarts=1)
        assert "the kernel stopped answering before this cell ran" in errors(nb.cells[1])[0]
        assert text(nb.cells[2]) == "after\n"
        assert seconds < 15

    def test_gives_up_after_max_restarts(self):
        """After max_restarts, the remaining cells fail unrun instead of costing more."""
        die = "import os\nos._exit(0)"
        nb, _ = execute([solution(die, "a"), solution(die, "b"), graded_cell("pass", "t")],
                        max_restarts=1)
        assert errors(nb.cells[2]) == ["CellNotRun: not run: grading stopped after 1 kernel "
                                       "restarts"]

    def test_notebook_budget(self):
        """Cells past the notebook's budget fail unrun."""
        nb, _ = execute([new_code_cell("import time\ntime.sleep(1.5)"), graded_cell("pass", "t")],
                        notebook_timeout=1)
        assert errors(nb.cells[1]) == ["CellNotRun: not run: grading stopped after the "
                                       "notebook's 1 s budget"]

    def test_caps_printed_output(self):
        """Printed output beyond max_output_chars is dropped, with a note on stdout."""
        nb, _ = execute([new_code_cell("for _ in range(2000):\n    print('x' * 99)")],
                        max_output_chars=1000)
        printed = text(nb.cells[0])
        assert printed.startswith("x" * 99) and len(printed) < 1200
        assert printed.endswith("... output cut: this cell printed more than 1,000 characters\n")

    def test_seal_fails_graded_cells_while_helpers_are_replaced(self):
        """Replacing verify_fingerprint and retaking the fingerprint still fails the tests;
        a patch before the setup cell too; undoing the patch passes again."""
        nb, _ = execute([
            new_code_cell("import time\n_sleep = time.sleep\ntime.sleep = lambda s: None"),
            new_code_cell("from course import testing\n_fp = testing.fingerprint()"),
            graded_cell("testing.verify_fingerprint(_fp)", "before_setup"),
            new_code_cell("time.sleep = _sleep\n_verify = testing.verify_fingerprint\n"
                          "testing.verify_fingerprint = lambda saved: None\n"
                          "_fp = testing.fingerprint()"),
            graded_cell("testing.verify_fingerprint(_fp)", "verify_replaced"),
            new_code_cell("testing.verify_fingerprint = _verify\n_fp = testing.fingerprint()"),
            graded_cell("testing.verify_fingerprint(_fp)", "restored"),
        ])
        assert "time.sleep was replaced" in errors(nb.cells[2])[0]
        assert "course.testing.verify_fingerprint" in errors(nb.cells[4])[0]
        assert all(MODIFIED in e for e in errors(nb.cells[2]) + errors(nb.cells[4]))
        assert errors(nb.cells[6]) == []

    def test_seal_notices_course_functions_defined_in_the_notebook(self):
        """A course function replaced by notebook code fails the graded cells."""
        nb, _ = execute([new_code_cell("import course.timeline as t\n"
                                       "t.Timeline.max_at_once = lambda self, kind='running': 1"),
                         graded_cell("pass", "t")])
        assert "course.timeline.Timeline.max_at_once" in errors(nb.cells[1])[0]

    def test_graded_cell_runs_despite_skip_tag(self):
        """A graded cell tagged skip-execution still runs (an unrun test would pass)."""
        cell = graded_cell("raise ValueError('ran')", "t")
        cell.metadata["tags"] = ["skip-execution"]
        nb, _ = execute([cell])
        assert errors(nb.cells[0]) == ["ValueError: ran"]

    def test_kills_processes_left_behind(self, tmp_path):
        """A child that left the kernel's process group is killed when grading ends."""
        pid_file = tmp_path / "pid"
        execute([new_code_cell(
            "import subprocess\n"
            "child = subprocess.Popen(['sleep', '600'], start_new_session=True)\n"
            f"open({str(pid_file)!r}, 'w').write(str(child.pid))")])
        pid = int(pid_file.read_text())
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == "zombie"

    @pytest.mark.parametrize("cell, limit", [
        (solution("x"), 3), (graded_cell("x", "t"), 30), (new_code_cell("x"), 30),
    ])
    def test_solution_cells_get_their_own_limit(self, cell, limit):
        """Only solution cells get solution_timeout; others keep Execute.timeout."""
        assert GuardedExecute(timeout=30, solution_timeout=3)._get_timeout(cell) == limit


class TestSealSource:
    def test_leaves_the_namespace_alone(self):
        """The seal's code defines nothing in the notebook's namespace."""
        namespace = {}
        name = f"_seal_{uuid.uuid4().hex}"
        exec(_seal_source(name), namespace)
        try:
            assert set(namespace) == {"__builtins__"}
            sys.modules[name].check()  # nothing replaced: passes
        finally:
            sys.modules.pop(name, None)


class TestKillMarked:
    def test_kills_only_marked_processes(self):
        """Processes carrying the token are killed; others are left alone."""
        token = uuid.uuid4().hex
        marked = subprocess.Popen(["sleep", "60"], env={**os.environ, MARKER: token},
                                  start_new_session=True)
        other = subprocess.Popen(["sleep", "60"])
        try:
            assert kill_marked([token]) == 1
            marked.wait(timeout=5)  # already reaped by kill_marked: returns at once
            assert other.poll() is None
        finally:
            other.kill()
            other.wait()


# --- sanitizing --------------------------------------------------------------------------------
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


class TestExportRows:
    @pytest.mark.parametrize("problems, submitted, score, problem", [
        ([Problem("s", "a", "n.ipynb", NOT_GRADED, "empty file (0 bytes)")], True, "",
         "n.ipynb: not graded: empty file (0 bytes)"),
        ([Problem("s", "a", "n.ipynb", MISSING, "no n.ipynb in the submission")], True, "0.0",
         "n.ipynb: missing: no n.ipynb in the submission"),
        ([], False, "0.0", "no submission"),
        ([], True, "0.0", ""),
    ])
    def test_annotate(self, problems, submitted, score, problem):
        """Ungraded notebooks lose their score to an empty cell; every row says why."""
        row = {"raw_score": "0.0", "score": "0.0"}
        _annotate(row, problems, submitted)
        assert (row["score"], row["problem"]) == (score, problem)


class TestConfig:
    def test_nbgrader_uses_the_extensions(self):
        """autograde sanitizes with RestoreCells and executes with GuardedExecute; export
        annotates problems."""
        config = load_config()
        autograde = Autograde(config=config)
        assert RestoreCells in autograde.sanitize_preprocessors
        assert GuardedExecute in autograde.autograde_preprocessors
        assert Execute not in autograde.autograde_preprocessors
        assert config.OverwriteCells.add_missing_cells is True
        assert config.ExportApp.plugin_class.__name__ == "ProblemsCsvExport"

    def test_limits(self):
        """Solution cells get 10 s, other cells Execute's 30 s; a deaf cell 5 s of grace."""
        guarded = GuardedExecute(config=load_config())
        assert (guarded.timeout, guarded.solution_timeout, guarded.interrupt_grace) == (30, 10, 5)


@pytest.fixture(scope="module")
def grade():
    """scripts/grade.py, imported as a module."""
    spec = importlib.util.spec_from_file_location("grade", REPO / "scripts" / "grade.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestGradeScript:
    def test_listing_names_student_notebook_and_reason(self, grade):
        """Each problem is a line naming the student, the notebook and why; exit status 1."""
        problems = [Problem("bob", "a", "n.ipynb", NOT_GRADED, "empty file (0 bytes)"),
                    Problem("ann", "a", "n.ipynb", NOTE, "the kernel was restarted")]
        text = grade.listing(problems, [])
        assert "  bob / a / n.ipynb: not graded: empty file (0 bytes)" in text
        assert "Graded, worth a look:\n  ann / a / n.ipynb: note:" in text
        assert grade.status(problems, []) == 1

    def test_notes_alone_exit_zero(self, grade):
        """Only notes (or nothing) to report: exit status 0."""
        assert grade.status([Problem("a", "a", "n", NOTE, "x")], []) == 0
        assert "Every submitted notebook was graded." in grade.listing([], [])
