"""Tests for grading.parallel: the worker pool, with a stand-in for nbgrader's autograde.

The real autograde is graded end to end by test_resume.py, test_slurm.py and test_postgres.py;
here FakeGrader (fakes.py) lets each behaviour of the pool be pinned in seconds.
"""

from __future__ import annotations

import os
import sys

import pytest
from fakes import COURSE_ID, FakeGrader, make_gradebook, scores
from fakes import make_course as _make_course
from nbgrader.api import Gradebook

from grading.parallel import (GRADED, NOT_GRADED, STARTING, GradingError, default_workers,
                              grade, needs_grading)
from grading.shards import Journal, Submission, submitted_pairs


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    """The fake course's gradebook, made once (nbgrader runs `alembic` to create one)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", os.pathsep.join([os.path.dirname(sys.executable),
                                              os.environ["PATH"]]))
        return make_gradebook(tmp_path_factory.mktemp("gradebook") / "gradebook.db")


@pytest.fixture
def make_course(gradebook):
    """make_course(root, {student: action}) with the module's gradebook."""
    return lambda root, students: _make_course(root, students, gradebook)


def _run(course, **options):
    return grade(course, _all(course), grader=FakeGrader, **options)


def _all(course):
    return [Submission("a", p.name) for p in sorted((course.root / "submitted").iterdir())]


class _InterruptAfter:
    """A progress display that presses Ctrl-C after *n* submissions finish."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __call__(self, total):
        return self

    def start(self):
        pass

    def tick(self):
        pass

    def close(self):
        pass

    def finish(self, label, graded, seconds):
        self.n -= 1
        if self.n == 0:
            raise KeyboardInterrupt


class TestGrade:
    def test_grades_everyone_into_the_course_gradebook(self, tmp_path, make_course):
        """Every submission's grade lands in the course gradebook, from 3 workers' shards."""
        course = make_course(tmp_path, {f"s{i}": f"score:0.{i}" for i in range(1, 6)})
        report = _run(course, workers=3)
        assert scores(course.db_url) == {f"s{i}": pytest.approx(i / 10) for i in range(1, 6)}
        assert [r.outcome for r in report.results] == [GRADED] * 5
        assert {r.lane for r in report.results} <= {"worker 1", "worker 2", "worker 3"}
        assert not (tmp_path / ".grading" / "in-progress").exists()

    def test_already_graded_is_skipped_unless_forced(self, tmp_path, make_course):
        """A second run grades nothing; --force grades everyone again."""
        course = make_course(tmp_path, {"s1": "ok", "s2": "ok"})
        _run(course, workers=2)
        again = _run(course, workers=2)
        assert again.results == [] and again.skipped == _all(course)
        forced = _run(course, workers=2, force=True)
        assert sorted(r.submission for r in forced.results) == _all(course)

    def test_a_failure_is_not_graded_and_the_others_are(self, tmp_path, make_course):
        """nbgrader's error for one submission leaves the rest graded, and its log is kept."""
        course = make_course(tmp_path, {"bad": "fail", "good": "ok"})
        report = _run(course, workers=1)
        outcomes = {r.submission.student: r.outcome for r in report.results}
        assert outcomes == {"bad": NOT_GRADED, "good": GRADED}
        assert "broken on purpose" in next(r.log for r in report.results if not r.ok)

    def test_a_dead_worker_fails_its_submission_and_is_replaced(self, tmp_path, make_course):
        """A worker that dies costs its own submission only: a new worker grades the rest."""
        course = make_course(tmp_path, {"a1": "die", "b1": "ok", "c1": "ok"})
        report = _run(course, workers=1)
        died = next(r for r in report.results if r.submission.student == "a1")
        assert died.outcome == NOT_GRADED
        assert "the grading worker died while grading it (exit code 3)" in died.log
        assert scores(course.db_url) == {"b1": 1.0, "c1": 1.0}

    def test_workers_dying_in_a_row_stop_the_run(self, tmp_path, make_course):
        """Three deaths in a row mean grading itself is broken: the run stops and says so."""
        course = make_course(tmp_path, {f"s{i}": "die" for i in range(4)})
        with pytest.raises(GradingError, match="grading worker 1 died 3 times in a row"):
            _run(course, workers=1)

    def test_a_grader_that_cannot_start_stops_the_run(self, tmp_path, make_course):
        """nbgrader failing to load (a broken nbgrader_config.py) is reported with its error."""
        course = make_course(tmp_path, {"s1": "ok"})
        (tmp_path / "fatal").write_text("")
        with pytest.raises(GradingError, match="(?s)could not start nbgrader.*on purpose"):
            _run(course, workers=1)

    def test_journal_records_starts_and_submissions(self, tmp_path, make_course):
        """The journal holds one line per worker start and per finished submission."""
        course = make_course(tmp_path, {"s1": "ok", "s2": "fail"})
        journal = Journal(tmp_path / "run.jsonl")
        _run(course, workers=2, journal=journal)
        entries = journal.entries()
        expected = [STARTING, STARTING, GRADED, NOT_GRADED]
        assert sorted(e.outcome for e in entries) == sorted(expected)
        assert "broken on purpose" in next(e.log for e in entries if e.outcome == NOT_GRADED)

    @pytest.mark.parametrize("workers", [0, -1])
    def test_workers_must_be_positive(self, tmp_path, make_course, workers):
        """workers < 1 fails at the door with the rule."""
        course = make_course(tmp_path, {"s1": "ok"})
        with pytest.raises(ValueError, match=rf"workers must be >= 1 \(got {workers}\)"):
            _run(course, workers=workers)

    def test_default_is_cores_plus_one(self):
        """Grading waits on kernels: one worker more than the usable cores."""
        assert default_workers() == len(os.sched_getaffinity(0)) + 1

    def test_a_live_run_holds_the_scratch_folder(self, tmp_path, make_course):
        """Two runs cannot share worker folders: the second is told who holds them."""
        course = make_course(tmp_path, {"s1": "ok"})
        lock = tmp_path / ".grading" / "local" / "run.pid"
        lock.parent.mkdir(parents=True)
        import socket
        lock.write_text(f"{socket.gethostname()} {os.getppid()}")
        with pytest.raises(GradingError, match=f"another grading run \\(pid {os.getppid()}\\)"):
            _run(course, workers=1)


class TestResume:
    def test_interrupted_run_keeps_finished_grades_and_finishes_later(self, tmp_path, make_course):
        """Ctrl-C keeps every finished grade; the next run grades only what was left."""
        course = make_course(tmp_path, {"a-held": "hold", "b": "ok", "c": "ok", "d": "ok"})
        first = _run(course, workers=2, progress=_InterruptAfter(1))
        assert first.interrupted
        done = {r.submission for r in first.results}
        assert len(done) == 1 and Submission("a", "a-held") in first.left
        assert course.marker(Submission("a", "a-held")).exists()
        with Gradebook(course.db_url, COURSE_ID) as gradebook:
            assert {s for s in submitted_pairs(gradebook)} == done
        (tmp_path / "release").write_text("")
        second = _run(course, workers=2)
        assert set(second.skipped) == done
        assert {r.submission for r in second.results} == set(_all(course)) - done
        assert scores(course.db_url) == dict.fromkeys(["a-held", "b", "c", "d"], 1.0)


class TestNeedsGrading:
    def test_marker_or_missing_folder_means_grade_again(self, tmp_path, make_course):
        """A submission graded in the gradebook is graded again if interrupted or unfinished."""
        course = make_course(tmp_path, {"s1": "ok"})
        s1 = Submission("a", "s1")
        _run(course, workers=1)
        assert not needs_grading(course, s1, {s1})
        course.marker(s1).parent.mkdir(parents=True)
        course.marker(s1).write_text("")
        assert needs_grading(course, s1, {s1})
        course.marker(s1).unlink()
        assert needs_grading(course, s1, set())

    def test_a_newer_submission_is_graded_again(self, tmp_path, make_course):
        """nbgrader's rule: submitted/ newer than autograded/ (timestamp.txt) grades it again."""
        course = make_course(tmp_path, {"s1": "ok"})
        s1 = Submission("a", "s1")
        _run(course, workers=1)
        (course.autograded(s1) / "timestamp.txt").write_text("2024-01-01 10:00:00 UTC")
        (course.submitted(s1) / "timestamp.txt").write_text("2024-01-02 10:00:00 UTC")
        assert needs_grading(course, s1, {s1})
        (course.submitted(s1) / "timestamp.txt").write_text("2023-12-31 10:00:00 UTC")
        assert not needs_grading(course, s1, {s1})


class TestQueue:
    def test_unseen_assignments_first_then_longest_first(self):
        """Each assignment is tried once early; then the longest so far goes first, so the run
        ends on short submissions."""
        from grading.parallel import _Queue

        queue = _Queue([Submission(a, s) for a in ("x", "y", "z") for s in ("1", "2")])
        assert [queue.pop().assignment for _ in range(3)] == ["x", "y", "z"]
        queue.record(Submission("x", "1"), 2.0)
        queue.record(Submission("y", "1"), 20.0)
        queue.record(Submission("z", "1"), 5.0)
        assert [queue.pop().assignment for _ in range(3)] == ["y", "z", "x"]
        assert not queue and list(queue) == []
