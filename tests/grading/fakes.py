"""A stand-in for nbgrader's autograde, for the worker pool's tests (grading/parallel.py).

A tiny course: one assignment "a" with one notebook "n" holding one grade cell "g" worth 1
point. ``FakeGrader`` grades a submission the way its folder asks (a file named ``action``):
``ok`` (default) or ``score:0.5`` write the grade and an autograded/ folder, ``fail`` reports
an nbgrader error, ``die`` kills the worker, ``hold`` waits until the file ``release`` appears
in the course root. A file ``fatal`` in the course root makes the grader fail to start.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from nbgrader.api import Gradebook

from grading.parallel import Course
from grading.shards import Submission

COURSE_ID = "fake-course"
HOLD_LIMIT_S = 60  # a held submission gives up after this long (a test went wrong)


def make_gradebook(path: Path) -> Path:
    """A gradebook that knows assignment "a" (creating one runs `alembic`: make it once)."""
    with Gradebook(f"sqlite:///{path}", COURSE_ID) as gradebook:
        gradebook.add_assignment("a")
        gradebook.add_notebook("n", "a")
        gradebook.add_grade_cell("g", "n", "a", max_score=1, cell_type="code")
    return path


def make_course(root: Path, students: dict[str, str], gradebook: Path) -> Course:
    """A course with a copy of *gradebook* (see make_gradebook) and a submission per student.

    Args:
        root: an empty folder.
        students: {student id: action} (see the module docstring).
        gradebook: the gradebook to copy.
    """
    shutil.copy(gradebook, root / "gradebook.db")
    db_url = f"sqlite:///{root / 'gradebook.db'}"
    for student, action in students.items():
        folder = root / "submitted" / student / "a"
        folder.mkdir(parents=True)
        (folder / "action").write_text(action)
    return Course(root, db_url, COURSE_ID)


def scores(db_url: str) -> dict[str, float]:
    """{student: score of assignment "a"} in a gradebook."""
    with Gradebook(db_url, COURSE_ID) as gradebook:
        return {s.student.id: s.score for s in gradebook.assignment_submissions("a")}


class FakeGrader:
    """``grader(db_url)`` for grading.parallel.grade: see the module docstring."""

    def __init__(self, db_url: str) -> None:
        if Path("fatal").exists():  # the worker runs in the course root
            raise RuntimeError("cannot start on purpose")
        self.db_url = db_url

    def __call__(self, submission: Submission) -> tuple[bool, str]:
        folder = Path("submitted", submission.student, submission.assignment).resolve()
        action = (folder / "action").read_text().strip()
        if action == "die":
            os._exit(3)
        if action == "hold":
            deadline = time.monotonic() + HOLD_LIMIT_S
            while not Path("release").exists() and time.monotonic() < deadline:
                time.sleep(0.02)
        if action == "fail":
            return False, (f"[AutogradeApp | ERROR] There was an error processing assignment: "
                           f"{folder}\n[AutogradeApp | ERROR] Traceback (most recent call last):"
                           "\nValueError: broken on purpose\n")
        score = float(action.split(":")[1]) if action.startswith("score:") else 1.0
        with Gradebook(self.db_url, COURSE_ID) as gradebook:
            gradebook.update_or_create_student(submission.student)
            gradebook.update_or_create_submission(submission.assignment, submission.student)
            grade = gradebook.find_grade("g", "n", submission.assignment, submission.student)
            grade.auto_score, grade.needs_manual_grade = score, False
            gradebook.db.commit()
        graded = Path("autograded", submission.student, submission.assignment)
        graded.mkdir(parents=True, exist_ok=True)
        (graded / "n.ipynb").write_text("{}")
        return True, f"graded {submission}"
