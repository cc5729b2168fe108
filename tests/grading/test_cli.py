"""Tests for grading.cli: the listing of what could not be graded, and the exit status."""

from __future__ import annotations

import pytest

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


class TestCommandLine:
    def test_not_a_course_directory(self, tmp_path, capsys):
        """Run outside a course: exit 2 and say how to fix it."""
        assert grade.main(["--root", str(tmp_path)]) == 2
        assert "is not a course directory (no nbgrader_config.py)" in capsys.readouterr().out

    @pytest.mark.parametrize("argv", [["--shard", "2/2"], ["grade", "--shard", "x"]])
    def test_bad_shard(self, tmp_path, capsys, argv):
        """A shard outside 0 <= i < N is refused before anything runs."""
        (tmp_path / "nbgrader_config.py").write_text("")
        assert grade.main([*argv, "--root", str(tmp_path)]) == 2
        assert "error: shard must be i/N with N >= 1 and 0 <= i < N" in capsys.readouterr().out

    @pytest.mark.parametrize("argv, command, assignments", [
        ([], "grade", []), (["01-a", "02-b"], "grade", ["01-a", "02-b"]),
        (["grade", "01-a", "--workers", "3"], "grade", ["01-a"]), (["merge"], "merge", None)])
    def test_grade_is_the_default_command(self, argv, command, assignments):
        """`python -m grading [ASSIGNMENT ...]` still grades; `merge` merges."""
        args = grade._parser().parse_args(argv if argv[:1] in (["grade"], ["merge"])
                                          else ["grade", *argv])
        assert args.command == command
        assert getattr(args, "assignments", None) == assignments

    def test_workers_must_be_positive(self, capsys):
        """--workers 0 is refused with the rule."""
        with pytest.raises(SystemExit):
            grade._parser().parse_args(["grade", "--workers", "0"])
        assert "workers must be >= 1 (got 0)" in capsys.readouterr().err


class TestHeadline:
    def test_says_graded_skipped_and_interrupted(self):
        """Graded x of y, with how long and how many workers; skipped; what is left."""
        from grading.parallel import GRADED, NOT_GRADED, Report, Result
        from grading.shards import Shard, Submission

        results = [Result(Submission("a", s), "worker 1", 0, 1, True, outcome)
                   for s, outcome in [("ann", GRADED), ("bob", NOT_GRADED)]]
        report = Report(results, [Submission("a", "cy")], workers=3, start=0, end=75,
                        interrupted=True, left=[Submission("a", "dee")])
        assert grade.headline(report, Shard(0, 2)).splitlines() == [
            "Graded 1 of 2 submission(s) (shard 0/2) in 1:15 with 3 worker(s).",
            "Skipped 1 already graded (--force grades them again).",
            "Interrupted: 1 submission(s) not finished; grade again to finish the class (what "
            "was graded is kept)."]
