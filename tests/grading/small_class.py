"""A small class for the end-to-end grading tests: the fixture assignment's catalogue (solution,
stub, every catalogued mistake) plus one notebook that is not valid JSON, graded for real.

    template = build_class(tmp / "template")     # generate_assignment + submissions, once
    course = copy_class(template, tmp / "run")    # a fresh copy per test
    serial = serial_snapshot(copy_class(template, tmp / "serial"))   # nbgrader autograde
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import psutil
from nbgrader.api import Gradebook

from grading.harness import (REPO, build_catalogue, generate_assignment, load_mistakes,
                             make_course, run_nbgrader, write_submission)
from grading.harness.submissions import read_notebooks
from grading.processes import kill_tree
from grading.shards import snapshot

FIXTURES = REPO / "tests" / "fixtures"
ASSIGNMENT = "fixture"
COURSE_ID = "python-concurrency-lab"  # nbgrader_config.py's
BROKEN = "broken-invalid_json"
MARKER = "GRADING_TEST_RUN"  # set on a grading command: every process it starts inherits it


def build_class(course_dir: Path) -> Path:
    """A course with the fixture assignment generated and one submission per catalogue entry,
    plus BROKEN (a notebook cut off half-way)."""
    make_course(course_dir, FIXTURES / "source", [ASSIGNMENT])
    generate_assignment(course_dir, ASSIGNMENT)
    catalogue = build_catalogue(course_dir, ASSIGNMENT,
                                load_mistakes(FIXTURES / "mistakes" / ASSIGNMENT))
    for student, notebooks in catalogue.submissions.items():
        write_submission(course_dir, ASSIGNMENT, student, notebooks)
    folder = write_submission(course_dir, ASSIGNMENT, BROKEN, {})
    name = next(iter(read_notebooks(folder)))
    (folder / name).write_text('{"cells": [{"cell_type": "code", "source": "x = ')
    return course_dir


def students(course_dir: Path) -> list[str]:
    return sorted(p.name for p in (course_dir / "submitted").iterdir())


def copy_class(template: Path, course_dir: Path) -> Path:
    shutil.copytree(template, course_dir)
    return course_dir


def serial_snapshot(course_dir: Path) -> dict:
    """Grade with plain `nbgrader autograde` and return the gradebook's snapshot."""
    run_nbgrader(course_dir, "autograde", ASSIGNMENT, check=False)
    return gradebook_snapshot(f"sqlite:///{course_dir / 'gradebook.db'}")


def gradebook_snapshot(db_url: str) -> dict:
    with Gradebook(db_url, COURSE_ID) as gradebook:
        return snapshot(gradebook)


def environment(**extra: str) -> dict[str, str]:
    """This environment with the venv's bin/ first on PATH (nbgrader runs `alembic`)."""
    env = dict(os.environ, **extra)
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    return env


def marked(variable: str, value: str) -> list[psutil.Process]:
    """Live processes whose environment has variable=value (zombies left out)."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get(variable) == value and process.status() != "zombie":
                found.append(process)
        except psutil.Error:
            continue
    return found


def kill_marked(variable: str, value: str) -> list[str]:
    """Kill what marked() finds; return what it was, for a failure message."""
    found = marked(variable, value)
    names = []
    for process in found:
        try:
            names.append(f"{process.pid}: {' '.join(process.cmdline())[:80]}")
        except psutil.Error:
            continue
        kill_tree(process.pid)
    return names
