"""Tests for grading.validate: Validate runs a notebook as autograde does, minus hidden tests, and
answers as nbgrader's Validate does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import nbformat
import psutil
import pytest
from cells import KERNELSPEC, graded_cell, solution
from nbconvert.filters import strip_ansi
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.preprocessors import ComputeChecksums
from traitlets.config import Config

from grading.validate import (CourseValidator, find_reference, validate_notebook,
                              worker_config)

ASSIGNMENT = "a1"
MEASURED = "measured.txt"  # what the lesson's measurement cell writes, when it runs
ANSWER = "def root(x):\n    return sqrt(x)"
WAIT_S = 60  # bound on waiting for a worker or a kernel to appear or go


def setup_cell():
    cell = new_code_cell("import sys")
    cell.metadata["nbgrader"] = {"grade_id": "setup", "locked": True, "solution": False,
                                 "grade": False, "schema_version": 3}
    return cell


def lesson(answer: str = ANSWER, test: str = "assert root(4) == 2, 'root(4) should be 2'"):
    """setup, a light import, a measurement, a solution, a self-check, two tests."""
    return new_notebook(metadata={"kernelspec": KERNELSPEC}, cells=[
        new_markdown_cell("# Lesson"),
        setup_cell(),
        new_code_cell("from math import sqrt"),
        new_code_cell(f"open({MEASURED!r}, 'w').write('the lesson measured something')"),
        solution(answer, "root"),
        new_code_cell("root(9)  # self-check"),
        graded_cell(test, "root_of_four"),
        graded_cell("print('only a warning', file=sys.stderr)", "warns_on_stderr"),
    ])


def config(root, **limits) -> Config:
    c = Config()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.course_id = "course"
    c.Exchange.root = str(root / "exchange")
    c.Execute.timeout = limits.get("timeout", 20)
    c.GuardedExecute.solution_timeout = 5
    c.GuardedExecute.interrupt_grace = 2
    return c


@pytest.fixture
def course(tmp_path):
    """A course with the lesson in source/ and a student's copy elsewhere."""
    (tmp_path / "source" / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(lesson(), tmp_path / "source" / ASSIGNMENT / "lesson.ipynb")
    return tmp_path


def student_copy(course, nb, folder="student") -> str:
    path = course / folder / ASSIGNMENT / "lesson.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return str(path)


def failed(result) -> dict[str, str]:
    """{first line of each failed cell's source: its raw error} of a Validator result."""
    return {cell["source"].splitlines()[0]: strip_ansi(cell["raw_error"])
            for cell in result.get("failed", [])}


class TestFindReference:
    @pytest.mark.parametrize("present, expected", [
        (["source", "release", "exchange/course/outbound"], "source"),
        (["release", "exchange/course/outbound"], "release"),
        (["exchange/course/outbound"], "exchange/course/outbound"),
        ([], None),
    ])
    def test_order(self, tmp_path, present, expected):
        """The source notebook first, then the release, then the exchange's released copy."""
        for folder in present:
            student_copy(tmp_path, lesson(), folder)
        found = find_reference(tmp_path / "anywhere" / ASSIGNMENT / "lesson.ipynb",
                               config(tmp_path))
        assert found == (None if expected is None
                         else tmp_path / expected / ASSIGNMENT / "lesson.ipynb")

    def test_matches_the_notebook_name(self, course):
        """A renamed notebook has no reference."""
        assert find_reference(course / "s" / ASSIGNMENT / "copy.ipynb", config(course)) is None


class TestWorkerConfig:
    @pytest.mark.parametrize("course_sets, expected", [
        ("", ("ipc", "RUNTIME/kernel")),
        ("c.KernelManager.transport = 'tcp'\n", ("tcp", None)),
    ])
    def test_kernels_over_ipc_unless_the_course_says(self, tmp_path, monkeypatch, course_sets,
                                                      expected):
        """A worker's kernels use Unix sockets in its runtime folder (no ports to race for),
        unless the course's config sets a transport."""
        (tmp_path / "nbgrader_config.py").write_text(f"c = get_config()\n{course_sets}")
        monkeypatch.chdir(tmp_path)
        manager = worker_config("RUNTIME").KernelManager
        assert (manager.get("transport"), manager.get("ip")) == expected


class TestCourseValidator:
    def test_runs_the_work_and_the_cells_it_needs_only(self, course):
        """A correct answer passes; the import it needs ran, the measurement did not; a test
        that writes to stderr passes (autograde's rule, not nbgrader's)."""
        path = student_copy(course, lesson())
        assert CourseValidator(config=config(course)).validate(path) == {}
        assert not (course / "student" / ASSIGNMENT / MEASURED).exists()

    def test_wrong_answer_fails_its_test_with_the_error(self, course):
        """A wrong answer fails the test that checks it, with the assertion's message."""
        path = student_copy(course, lesson(answer="def root(x):\n    return x + 1"))
        errors = failed(CourseValidator(config=config(course)).validate(path))
        assert list(errors) == ["assert root(4) == 2, 'root(4) should be 2'"]
        assert "AssertionError: root(4) should be 2" in errors[list(errors)[0]]

    def test_changed_lesson_cell_runs(self, course):
        """A lesson cell the student changed runs, as in autograde."""
        nb = lesson()
        nb.cells[3].source += "  # mine now"
        path = student_copy(course, nb)
        assert CourseValidator(config=config(course)).validate(path) == {}
        assert (course / "student" / ASSIGNMENT / MEASURED).exists()

    def test_release_is_the_reference_without_source(self, course):
        """With only release/ (a student's machine), the release's lesson cells are unchanged."""
        os.rename(course / "source", course / "release")
        path = student_copy(course, lesson())
        assert CourseValidator(config=config(course)).validate(path) == {}
        assert not (course / "student" / ASSIGNMENT / MEASURED).exists()

    def test_without_reference_every_unlocked_cell_runs(self, tmp_path):
        """With no reference at all, no lesson cell can be proved unchanged: all run."""
        path = student_copy(tmp_path, lesson())
        assert CourseValidator(config=config(tmp_path)).validate(path) == {}
        assert (tmp_path / "student" / ASSIGNMENT / MEASURED).exists()

    def test_kernel_is_the_reference_kernel(self, course):
        """The notebook runs on the kernel autograde uses (the reference's), not its own."""
        nb = lesson()
        nb.metadata["kernelspec"] = {"name": "no-such-kernel", "display_name": "x"}
        assert CourseValidator(config=config(course)).validate(student_copy(course, nb)) == {}

    def test_kernel_that_dies_at_start_gets_a_second_try(self, course, tmp_path, monkeypatch):
        """A kernel that dies before answering (a port drawn twice) is started again, once."""
        first = tmp_path / "first-start"
        starter = (f"import pathlib, sys\np = pathlib.Path({str(first)!r})\n"
                   "if not p.exists():\n    p.write_text('died')\n    sys.exit(1)\n"
                   "from ipykernel import kernelapp\nkernelapp.launch_new_instance()")
        spec = tmp_path / "jupyter" / "kernels" / "flaky"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-c", starter, "-f", "{connection_file}"],
            "display_name": "dies once", "language": "python"}))
        monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
        source = lesson()
        source.metadata["kernelspec"] = {"name": "flaky", "display_name": "dies once",
                                         "language": "python"}
        nbformat.write(source, course / "source" / ASSIGNMENT / "lesson.ipynb")
        assert CourseValidator(config=config(course)).validate(student_copy(course, lesson())) == {}
        assert first.read_text() == "died"

    def test_cell_time_limit(self, course):
        """A test that never ends fails with the time limit, as in autograde."""
        path = student_copy(course, lesson(test="import time\ntime.sleep(600)"))
        errors = failed(CourseValidator(config=config(course, timeout=3)).validate(path))
        assert list(errors) == ["import time"]
        assert "did not finish within 3 s" in errors["import time"]

    def test_changed_locked_cell_is_reported_without_running(self, course):
        """A changed test cell is reported as nbgrader reports it, and nothing runs."""
        source = lesson()
        nbformat.write(source, course / "source" / ASSIGNMENT / "lesson.ipynb")
        nb = lesson()
        nb, _ = ComputeChecksums().preprocess(nb, {})
        nb.cells[6].source = "pass"
        nb.cells[3].source += "  # changed, so it would run"
        result = CourseValidator(config=config(course)).validate(student_copy(course, nb))
        assert result == {"changed": [{"source": "pass"}]}
        assert not (course / "student" / ASSIGNMENT / MEASURED).exists()


class TestValidateNotebook:
    def test_success_response(self, course):
        """The response wraps the result as nbgrader's handler does."""
        path = student_copy(course, lesson())
        assert validate_notebook(path, config(course)) == {"success": True, "value": {}}

    def test_old_schema(self, course):
        """An old nbgrader metadata schema gets nbgrader's message."""
        nb = lesson()
        nb.cells[6].metadata.nbgrader["schema_version"] = 1
        response = validate_notebook(student_copy(course, nb), config(course))
        assert response["success"] is False
        assert "uses an old version of the nbgrader metadata format" in response["value"]

    def test_unreadable_notebook(self, course, tmp_path):
        """A notebook that is not JSON gets the traceback, as in nbgrader."""
        path = tmp_path / "broken.ipynb"
        path.write_text("{not json")
        response = validate_notebook(path, config(course))
        assert response["success"] is False and "Traceback" in response["value"]


def worker(course) -> subprocess.Popen:
    """`python -m grading.validate` serving one request, in the course directory."""
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\nc.Execute.timeout = 600\n")
    return subprocess.Popen([sys.executable, "-m", "grading.validate"], cwd=course,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {WAIT_S} s")
        time.sleep(0.1)


class TestWorker:
    def test_answers_one_request(self, course):
        """The worker reads one request line and writes one response line."""
        process = worker(course)
        process.stdin.write(json.dumps({"path": student_copy(course, lesson())}).encode() + b"\n")
        process.stdin.flush()  # and keep it open: closing it means the server went away
        assert json.loads(process.stdout.readline()) == {"success": True, "value": {}}
        process.stdin.close()
        assert process.wait(WAIT_S) == 0

    def test_exits_when_stdin_closes_first(self, course):
        """A spare worker whose server went away exits."""
        process = worker(course)
        process.stdin.close()
        assert process.wait(WAIT_S) == 0

    def test_stops_its_kernel_when_the_server_goes(self, course):
        """A worker whose stdin closes mid-run stops, and leaves no kernel behind."""
        process = worker(course)
        path = student_copy(course, lesson(test="import time\ntime.sleep(600)"))
        process.stdin.write(json.dumps({"path": path}).encode() + b"\n")
        process.stdin.flush()
        me = psutil.Process(process.pid)
        wait_until(lambda: me.children(recursive=True), "no kernel started")
        kernels = me.children(recursive=True)
        time.sleep(2)  # let the kernel reach the sleeping test
        process.stdin.close()
        process.wait(WAIT_S)
        gone, alive = psutil.wait_procs(kernels, timeout=WAIT_S)
        assert not alive, f"left running: {alive}"
