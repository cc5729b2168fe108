"""What could not be graded, and why: read after autograde, printed by the grading command and
shown in the export's ``problem`` column, so a broken submission never ends in a silent 0."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .execute import KERNEL_RESTARTED, NOT_RUN

__all__ = ["NOT_GRADED", "MISSING", "NOTE", "Problem", "find_problems", "unreadable"]


NOT_GRADED = "not graded"
MISSING = "missing"
NOTE = "note"


@dataclass(frozen=True)
class Problem:
    """Something about one submitted notebook that an instructor must see.

    Attributes:
        student, assignment, notebook: whose notebook (notebook is the expected file name).
        kind: NOT_GRADED (no grade: the export leaves the score empty), MISSING (the notebook
            was not submitted: nbgrader scored it 0) or NOTE (graded; worth a look).
        reason: why, for a person.
    """

    student: str
    assignment: str
    notebook: str
    kind: str
    reason: str

    @property
    def serious(self) -> bool:
        """True unless it is only a note: grading should then exit non-zero."""
        return self.kind != NOTE

    def __str__(self) -> str:
        return f"{self.student} / {self.assignment} / {self.notebook}: {self.kind}: {self.reason}"


def unreadable(path: Path | str) -> str:
    """Return why a notebook file cannot be read as a notebook, or "" when it can."""
    path = Path(path)
    if path.stat().st_size == 0:
        return "empty file (0 bytes)"
    try:
        json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        where = f", line {error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
        return f"not valid JSON ({getattr(error, 'msg', None) or error.reason}{where})"
    try:
        nbformat.read(path, as_version=4)
    except Exception as error:  # nbformat raises several kinds for a malformed notebook
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return f"not a valid notebook ({type(error).__name__}: {first[:200]})"
    return ""


def find_problems(course_root: Path | str, assignment: str, log: str = "", *,
                  notes: bool = True) -> list[Problem]:
    """List the submitted notebooks of an assignment that were not graded, or only with trouble.

    Args:
        course_root: the course directory (holding release/, submitted/, autograded/).
        assignment: the assignment name.
        log: the output of `nbgrader autograde`, to quote its error for a failed notebook.
        notes: also read each graded notebook for NOTE problems (kernel restarts).

    Returns:
        Problems, sorted by student, then notebook.
    """
    root = Path(course_root)
    expected = _expected_notebooks(root, assignment)
    reasons = _log_reasons(log)
    problems: list[Problem] = []
    for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
        student = folder.parent.name
        found = sorted(p.name for p in folder.glob("*.ipynb"))
        for name in expected:
            problems += _notebook_problems(root, student, assignment, name, found,
                                           reasons.get(student, ""), notes)
    return problems


def _notebook_problems(root: Path, student: str, assignment: str, name: str,
                       found: list[str], logged: str, notes: bool) -> list[Problem]:
    def problem(kind, reason):
        return [Problem(student, assignment, name, kind, reason)]

    if name not in found:
        others = [f for f in found if f != name]
        if others:  # work was handed in, under another name: rename it and grade again
            return problem(NOT_GRADED, f"no {name} in the submission, but "
                           f"{', '.join(others)}: renamed?")
        return problem(MISSING, f"no {name} in the submission")
    why = unreadable(root / "submitted" / student / assignment / name)
    graded = root / "autograded" / student / assignment / name
    if why or not graded.exists():
        return problem(NOT_GRADED, why or logged or "autograde failed on it (see its log), or "
                       "has not run since it was submitted")
    found_notes = _graded_notes(graded) if notes else []
    return problem(NOTE, "; ".join(found_notes)) if found_notes else []


def _graded_notes(path: Path) -> list[str]:
    """What GuardedExecute reported in a graded notebook: restarts, unrun cells."""
    counts: dict[str, int] = {}
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error" and output.ename in (KERNEL_RESTARTED, NOT_RUN):
                counts[output.ename] = counts.get(output.ename, 0) + 1
    notes = []
    if counts.get(KERNEL_RESTARTED):
        notes.append(f"the kernel was restarted after {counts[KERNEL_RESTARTED]} cell(s) hung or "
                     "killed it")
    if counts.get(NOT_RUN):
        notes.append(f"{counts[NOT_RUN]} cell(s) were not run (grading budget used up)")
    return notes


def _expected_notebooks(root: Path, assignment: str) -> list[str]:
    for folder in (root / "release" / assignment, root / "source" / assignment):
        names = sorted(p.name for p in folder.glob("*.ipynb"))
        if names:
            return names
    return []


_FAILED = re.compile(r"There was an error processing assignment: .*?[/\\]submitted[/\\]"
                     r"(?P<student>[^/\\]+)[/\\]")


def _log_reasons(log: str) -> dict[str, str]:
    """{student: the last line of the error nbgrader logged for their submission}."""
    reasons: dict[str, str] = {}
    lines = log.splitlines()
    for i, line in enumerate(lines):
        match = _FAILED.search(line)
        if not match:
            continue
        block = []
        for following in lines[i + 1:]:
            if following.startswith("[") and "|" in following.split("]")[0]:
                if block:  # the traceback is logged as a line of its own
                    break
                following = following.split("]", 1)[1]
            block.append(following.strip())
        block = [text for text in block if text]
        if block:
            reasons[match["student"]] = f"autograde failed: {block[-1][:300]}"
    return reasons


