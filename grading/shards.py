"""Which submissions a grading run takes, and how gradebook shards come back together.

- :func:`class_list`: every submission of the class, ``(assignment, student)``, sorted.
- :class:`Shard` (``"i/N"``): the i-th of N deterministic slices of that list. Slice i takes
  every N-th submission starting at the i-th (0-based, like ``SLURM_ARRAY_TASK_ID`` and
  Kubernetes' ``JOB_COMPLETION_INDEX``), so each assignment spreads evenly over the slices.
- :func:`merge_submission` / :func:`merge_gradebooks`: copy what autograde wrote for some
  submissions from one gradebook into another, through nbgrader's API, so the course gradebook
  ends up holding what a serial ``nbgrader autograde`` would have written.
- :class:`Journal`: one JSON line per submission a run finished, kept next to its gradebook:
  what `merge` copies, and what the chart of the run is drawn from.

A *shard* is an SQLite gradebook that starts as a copy of the course's (so it knows the
assignments, their cells and the students) and into which one slice of the class is graded.
"""

from __future__ import annotations

import fnmatch
import json
import os
import sqlite3
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

__all__ = ["Submission", "Shard", "class_list", "is_sqlite", "sqlite_path", "copy_gradebook",
           "submitted_pairs", "snapshot", "merge_submission", "merge_gradebooks", "Journal",
           "Entry", "SHARD_DIR"]

# Shard gradebooks and their journals live here, under the course root (shared by every node).
SHARD_DIR = "gradebook-shards"


@dataclass(frozen=True, order=True)
class Submission:
    """One student's submission of one assignment: the unit a worker grades."""

    assignment: str
    student: str

    def __str__(self) -> str:
        return f"{self.assignment}/{self.student}"


@dataclass(frozen=True)
class Shard:
    """Slice *index* of *count* (0 <= index < count) of the class list."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if not (isinstance(self.index, int) and isinstance(self.count, int)
                and self.count >= 1 and 0 <= self.index < self.count):
            raise ValueError(f"shard must be i/N with N >= 1 and 0 <= i < N, e.g. 0/4 "
                             f"(got {self.index}/{self.count})")

    @classmethod
    def parse(cls, text: str) -> "Shard":
        """Read ``"i/N"``, e.g. ``"0/4"`` for the first of four slices.

        Raises:
            ValueError: the text is not two integers i/N with 0 <= i < N.
        """
        index, slash, count = str(text).strip().partition("/")
        try:
            if not slash:
                raise ValueError
            return cls(int(index), int(count))
        except ValueError:
            raise ValueError(f"shard must be i/N with N >= 1 and 0 <= i < N, e.g. 0/4 "
                             f"(got {text!r})") from None

    def select(self, submissions: Iterable[Submission]) -> list[Submission]:
        """This slice of the sorted submissions: every N-th, starting at the i-th."""
        return sorted(submissions)[self.index::self.count]

    @property
    def name(self) -> str:
        """A file-name-safe label, e.g. "shard-0-of-4"."""
        return f"shard-{self.index}-of-{self.count}"

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def class_list(submitted: Path | str, assignments: Iterable[str] = (),
               students: Iterable[str] = ()) -> list[Submission]:
    """Every submission under ``submitted/<student>/<assignment>/``, sorted.

    Args:
        submitted: the course's submitted/ folder.
        assignments: only these assignments (default: all).
        students: only these students; shell patterns such as ``"a*"`` allowed (default: all).
    """
    wanted, patterns = set(assignments), list(students)
    found = []
    for folder in Path(submitted).glob("*/*"):
        student, assignment = folder.parent.name, folder.name
        if not folder.is_dir() or (wanted and assignment not in wanted):
            continue
        if patterns and not any(fnmatch.fnmatchcase(student, p) for p in patterns):
            continue
        found.append(Submission(assignment, student))
    return sorted(found)


# --- gradebook files --------------------------------------------------------------------------
def is_sqlite(db_url: str) -> bool:
    """True for an SQLite gradebook URL (one file: shards are copies of it)."""
    return db_url.startswith("sqlite:")


def sqlite_path(db_url: str) -> Path:
    """The file of an ``sqlite:///path`` URL.

    Raises:
        ValueError: the URL is not an SQLite file URL.
    """
    prefix = "sqlite:///"
    if not db_url.startswith(prefix) or db_url == prefix:
        raise ValueError(f"db_url must be sqlite:///<file> here (got {db_url!r})")
    return Path(db_url[len(prefix):])


def copy_gradebook(source: Path | str, target: Path | str) -> Path:
    """Copy an SQLite gradebook consistently (SQLite's backup API), replacing *target*."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(partial)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    os.replace(partial, target)  # a killed copy never looks like a shard
    return target


# --- merging ------------------------------------------------------------------------------------
def submitted_pairs(gradebook) -> set[Submission]:
    """Every submission an nbgrader Gradebook holds, in one query."""
    from nbgrader.api import Assignment, SubmittedAssignment

    rows = (gradebook.db.query(Assignment.name, SubmittedAssignment.student_id)
            .join(SubmittedAssignment, SubmittedAssignment.assignment_id == Assignment.id))
    return {Submission(name, student) for name, student in rows}


def merge_submission(source, target, submission: Submission) -> bool:
    """Copy what autograde wrote for one submission from one Gradebook into another.

    The target gets the student (if new), the submission (timestamp, extension) and, for each
    notebook, its flag, late penalty, every grade (auto, manual, extra credit, needs manual
    grade) and every comment, exactly as in the source; anything else in the target stays.

    Args:
        source, target: open ``nbgrader.api.Gradebook`` objects of the same course.
        submission: which one.

    Returns:
        False when the source holds no such submission (nothing is copied).
    """
    from nbgrader.api import MissingEntry
    from sqlalchemy.exc import SAWarning

    try:
        graded = source.find_submission(submission.assignment, submission.student)
    except MissingEntry:
        return False
    _ensure_student(target, graded.student)
    with warnings.catch_warnings():  # nbgrader's add_submission warns on SQLAlchemy 2, harmless
        warnings.simplefilter("ignore", SAWarning)
        mirror = target.update_or_create_submission(submission.assignment, submission.student,
                                                    timestamp=graded.timestamp,
                                                    extension=graded.extension)
    notebooks = {nb.name: nb for nb in mirror.notebooks}
    for notebook in graded.notebooks:
        _copy_notebook(notebook, notebooks[notebook.name])
    target.db.commit()
    return True


def _ensure_student(target, student) -> None:
    """Create the student in the target if missing (autograde never changes a known one)."""
    from nbgrader.api import MissingEntry

    try:
        target.find_student(student.id)
    except MissingEntry:
        target.add_student(student.id, first_name=student.first_name,
                           last_name=student.last_name, email=student.email,
                           lms_user_id=student.lms_user_id)


def _copy_notebook(source, target) -> None:
    target.flagged = source.flagged
    target.late_submission_penalty = source.late_submission_penalty
    grades = {grade.name: grade for grade in target.grades}
    for grade in source.grades:
        mirror = grades[grade.name]
        mirror.auto_score, mirror.manual_score = grade.auto_score, grade.manual_score
        mirror.extra_credit = grade.extra_credit
        mirror.needs_manual_grade = grade.needs_manual_grade
    comments = {comment.name: comment for comment in target.comments}
    for comment in source.comments:
        mirror = comments[comment.name]
        mirror.auto_comment, mirror.manual_comment = comment.auto_comment, comment.manual_comment


def snapshot(gradebook, submissions: Iterable[Submission] | None = None) -> dict:
    """Everything autograde writes for each submission, as plain data, to compare two runs.

    Returns:
        {Submission: {"timestamp": ..., "extension": ..., notebook name: {"flagged": ...,
        "late_submission_penalty": ..., "grades": {name: (auto, manual, extra credit, needs
        manual grade)}, "comments": {name: (auto, manual)}}}} (ids, which are random, left out).
    """
    wanted = None if submissions is None else set(submissions)
    found = {}
    for pair in sorted(submitted_pairs(gradebook)):
        if wanted is not None and pair not in wanted:
            continue
        graded = gradebook.find_submission(pair.assignment, pair.student)
        entry = {"timestamp": graded.timestamp, "extension": graded.extension}
        for nb in graded.notebooks:
            entry[nb.name] = {
                "flagged": nb.flagged, "late_submission_penalty": nb.late_submission_penalty,
                "grades": {g.name: (g.auto_score, g.manual_score, g.extra_credit,
                                    g.needs_manual_grade) for g in nb.grades},
                "comments": {c.name: (c.auto_comment, c.manual_comment) for c in nb.comments}}
        found[pair] = entry
    return found


def merge_gradebooks(source_url: str, target, submissions: Iterable[Submission],
                     course_id: str) -> list[Submission]:
    """Merge some submissions of the gradebook at *source_url* into the open *target*.

    Returns:
        The submissions copied (those the source holds), in the order given.
    """
    from nbgrader.api import Gradebook

    merged = []
    with Gradebook(source_url, course_id) as source:
        for submission in submissions:
            if merge_submission(source, target, submission):
                merged.append(submission)
    return merged


# --- the journal of a run -------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One finished submission: who graded it, when (Unix time), and how it went."""

    assignment: str
    student: str
    lane: str
    start: float
    end: float
    outcome: str
    log: str = ""  # nbgrader's log, kept for a submission that was not graded

    @property
    def submission(self) -> Submission:
        return Submission(self.assignment, self.student)


class Journal:
    """An append-only JSON-lines record of the submissions a run finished.

    A line is written (and flushed) after the submission's grades are safely in the run's
    gradebook, so a killed run's journal never names a submission whose grades are missing.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def append(self, entry: Entry) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a") as file:
            file.write(json.dumps(asdict(entry)) + "\n")
            file.flush()
            os.fsync(file.fileno())

    def entries(self) -> list[Entry]:
        """Every entry, skipping a last line cut off by a kill."""
        if not self.path.exists():
            return []
        found = []
        for line in self.path.read_text().splitlines():
            try:
                found.append(Entry(**json.loads(line)))
            except (json.JSONDecodeError, TypeError):
                continue
        return found
