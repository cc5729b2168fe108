"""Autograde every submission, then list, loudly, each notebook that could not be graded and why.

    python -m grading [ASSIGNMENT ...] [--root=COURSE_DIR] [nbgrader options, e.g. --force]

Runs `nbgrader autograde` once per assignment (default: every assignment under submitted/),
from the course root (default: the current directory), showing its log as it goes. Afterwards
it prints one line per problem, naming the student, the notebook and the reason (invalid JSON,
a renamed or missing notebook, a kernel that could not run it), plus notes on graded notebooks
whose kernel had to be restarted. It exits 1 when any notebook was not graded or is missing,
or when nbgrader failed, so a grading run never ends in a silent 0 (`nbgrader export` then
shows the same reasons).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """Grade, list the problems, and return the exit status."""
    roots = [arg.split("=", 1)[1] for arg in argv if arg.startswith("--root=")]
    root = Path(roots[-1] if roots else ".").resolve()
    options = [arg for arg in argv if arg.startswith("-") and not arg.startswith("--root=")]
    assignments = [arg for arg in argv if not arg.startswith("-")] or submitted_assignments(root)
    if not assignments:
        print("nothing to grade: submitted/<student>/<assignment>/ is empty")
        return 0
    from .problems import find_problems  # imports nbgrader: after the argument check

    problems, failed = [], []
    for assignment in assignments:
        returncode, log = autograde(root, assignment, options)
        found = find_problems(root, assignment, log)
        problems += found
        if returncode != 0 and not any(p.serious for p in found):
            failed.append(f"nbgrader autograde {assignment} failed (exit code {returncode}): "
                          "see its log above")
    print(listing(problems, failed))
    return status(problems, failed)


def submitted_assignments(root: Path) -> list[str]:
    """The assignments some student submitted: the folder names under submitted/<student>/."""
    return sorted({folder.name for folder in (root / "submitted").glob("*/*") if folder.is_dir()})


def autograde(root: Path, assignment: str, options: list[str]) -> tuple[int, str]:
    """Run `nbgrader autograde` in the course root, echoing its log; return (exit code, log)."""
    command = [sys.executable, "-m", "nbgrader", "autograde", assignment, *options]
    # nbgrader runs the `alembic` command when it creates a gradebook: this Python's bin/ first
    path = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL,
                               env={**os.environ, "PATH": path})
    lines = []
    for line in process.stdout:
        sys.stdout.write(line)
        lines.append(line)
    return process.wait(), "".join(lines)


def listing(problems, failed: list[str]) -> str:
    """The report printed after grading: every problem on a line of its own."""
    serious = [p for p in problems if p.serious]
    notes = [p for p in problems if not p.serious]
    lines = ["", "=" * 79]
    if not serious and not failed:
        lines.append("Every submitted notebook was graded.")
    else:
        lines.append(f"NOT GRADED OR MISSING: {len(serious)} notebook(s). Fix and grade again "
                     "(nbgrader autograde <assignment> --force --student=<id>):")
        lines += [f"  {p}" for p in serious] + [f"  {text}" for text in failed]
    if notes:
        lines.append("Graded, worth a look:")
        lines += [f"  {p}" for p in notes]
    return "\n".join(lines)


def status(problems, failed: list[str]) -> int:
    """1 when a notebook went ungraded or missing, or nbgrader failed; else 0."""
    return 1 if failed or any(p.serious for p in problems) else 0

