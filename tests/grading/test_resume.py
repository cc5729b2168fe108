"""A grading run killed half-way, then started again, finishes the class: nobody is graded
twice and no grade is lost (every score equals plain `nbgrader autograde`'s)."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
from nbgrader.api import Gradebook
from small_class import (ASSIGNMENT, BROKEN, COURSE_ID, MARKER, copy_class, environment,
                         gradebook_snapshot, kill_marked, marked, students)

from grading.parallel import Course, needs_grading
from grading.shards import Submission, submitted_pairs

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("small-class")]

RUN_TIMEOUT_S = 600
PROGRESS = re.compile(r"\[\d+/\d+\] (?P<assignment>[^/]+)/(?P<student>\S+): ")
ORPHANS_GONE_S = 30  # kernels notice their worker died within about a second


def _grading(course, marker: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "grading", "--workers", "2", "--no-chart"], cwd=course,
        env=environment(**{MARKER: marker}), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, stdin=subprocess.DEVNULL, start_new_session=True)


def _lines(process: subprocess.Popen) -> queue.Queue:
    """The process's output lines, read by a thread (None at the end)."""
    lines: queue.Queue = queue.Queue()

    def read():
        for line in process.stdout:
            lines.put(line)
        lines.put(None)
    threading.Thread(target=read, daemon=True).start()
    return lines


def _kill_after(process: subprocess.Popen, finished: int) -> str:
    """SIGKILL the whole run (parent, forkserver, workers) once *finished* submissions are."""
    lines, seen = _lines(process), []
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        line = lines.get(timeout=RUN_TIMEOUT_S)
        if line is None:
            break
        seen.append(line)
        if line.startswith(f"[{finished}/"):
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait(RUN_TIMEOUT_S)
    return "".join(seen)


def _graded_now(course) -> set[Submission]:
    settings = Course(course, f"sqlite:///{course / 'gradebook.db'}", COURSE_ID)
    with Gradebook(settings.db_url, COURSE_ID) as gradebook:
        known = submitted_pairs(gradebook)
    return {Submission(ASSIGNMENT, s) for s in students(course)
            if not needs_grading(settings, Submission(ASSIGNMENT, s), known)}


def _orphans_gone(marker: str) -> list[str]:
    deadline = time.monotonic() + ORPHANS_GONE_S
    while marked(MARKER, marker) and time.monotonic() < deadline:
        time.sleep(0.5)
    return kill_marked(MARKER, marker)


def test_killed_run_finishes_on_restart(class_template, serial_grades, tmp_path):
    """Kill -9 the run after 3 submissions; the restart grades exactly the others; the
    gradebook then equals a serial run's, and the first run's notebooks are untouched."""
    course = copy_class(class_template, tmp_path / "course")
    marker = uuid.uuid4().hex
    killed = _grading(course, marker)
    first_output = _kill_after(killed, finished=3)  # the broken notebook may be one of them
    assert killed.returncode == -signal.SIGKILL, f"the run ended by itself:\n{first_output}"
    leftovers = _orphans_gone(marker)
    assert not leftovers, f"processes outlived the killed run: {leftovers}"
    first = _graded_now(course)
    everyone = {Submission(ASSIGNMENT, s) for s in students(course)}
    assert 2 <= len(first) < len(everyone) - 1, first_output
    notebooks = {s: os.stat(course / "autograded" / s.student / s.assignment).st_mtime_ns
                 for s in first}

    second = subprocess.run([sys.executable, "-m", "grading", "--workers", "2", "--no-chart"],
                            cwd=course, env=environment(**{MARKER: marker}), text=True,
                            capture_output=True, timeout=RUN_TIMEOUT_S)
    output = second.stdout + second.stderr
    regraded = {Submission(m["assignment"], m["student"]) for m in map(PROGRESS.match,
                                                                         output.splitlines()) if m}
    assert regraded == everyone - first, output
    assert f"Skipped {len(first)} already graded" in output
    assert {s: os.stat(course / "autograded" / s.student / s.assignment).st_mtime_ns
            for s in first} == notebooks
    assert gradebook_snapshot(f"sqlite:///{course / 'gradebook.db'}") == serial_grades
    assert second.returncode == 1 and f"{BROKEN} / {ASSIGNMENT}" in output  # listed loudly
    assert not kill_marked(MARKER, marker)
