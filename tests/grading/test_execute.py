"""Tests for grading.execute: GuardedExecute bounds hostile cells, grades tests by their errors.

These start real kernels on small notebooks (about 1 s each, plus the time limits they provoke,
kept at 1-2 s). The end-to-end proof, on every lesson, is tests/adversarial/."""

from __future__ import annotations

import psutil
import pytest
from cells import errors, execute, graded_cell, solution, text
from nbformat.v4 import new_code_cell

from grading.execute import GuardedExecute
from grading.seal import MODIFIED


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


