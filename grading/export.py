"""``nbgrader export`` with a ``problem`` column: why a notebook has no score, or a 0."""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.plugins import CsvExportPlugin

from .problems import NOT_GRADED, Problem, find_problems

__all__ = ["ProblemsCsvExport"]


class ProblemsCsvExport(CsvExportPlugin):
    """nbgrader's CSV export plus a ``problem`` column saying what went wrong, if anything.

    A notebook that could not be autograded leaves the score empty instead of 0; a student
    whose folder nbgrader skipped (no notebook in it) gets a row; a student with no submission
    at all is marked so.
    """

    def export(self, gradebook) -> None:
        super().export(gradebook)
        dest = self.to or "grades.csv"
        root = Path(self.parent.coursedir.root) if self.parent else Path.cwd()
        with open(dest, newline="") as file:
            rows = list(csv.DictReader(file))
        fields = [*(rows[0].keys() if rows else []), "problem"]
        rows += _skipped_rows(root, rows, gradebook)
        problems = {}
        for assignment in {row["assignment"] for row in rows}:
            for problem in find_problems(root, assignment, notes=False):
                problems.setdefault((assignment, problem.student), []).append(problem)
        for row in rows:
            submitted = (root / "submitted" / row["student_id"] / row["assignment"]).is_dir()
            _annotate(row, problems.get((row["assignment"], row["student_id"]), []), submitted)
        with open(dest, "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=fields, restval="")
            writer.writeheader()
            writer.writerows(rows)


def _skipped_rows(root: Path, rows: list[dict], gradebook) -> list[dict]:
    """Rows for submitted folders the gradebook never heard of (nbgrader skips a folder
    holding no notebook): scored 0, for the problem column to explain."""
    exported = {(row["assignment"], row["student_id"]) for row in rows}
    extra = []
    for assignment in {row["assignment"] for row in rows}:
        max_score = next(row["max_score"] for row in rows if row["assignment"] == assignment)
        for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
            if (assignment, folder.parent.name) not in exported:
                extra.append({"assignment": assignment, "student_id": folder.parent.name,
                              "raw_score": "0.0", "late_submission_penalty": "0.0",
                              "score": "0.0", "max_score": max_score})
    return extra


def _annotate(row: dict, problems: list[Problem], submitted: bool) -> None:
    row["problem"] = "; ".join(f"{p.notebook}: {p.kind}: {p.reason}" for p in problems)
    if any(p.kind == NOT_GRADED for p in problems):
        row["raw_score"] = row["score"] = ""
    elif not submitted:
        row["problem"] = "no submission"
