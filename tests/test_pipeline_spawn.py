"""Lesson 4 graded with the spawn start method forced in every kernel, leaving no process behind.

Under spawn (the default on macOS and Windows) and forkserver (Linux's default from Python 3.14)
workers import what they run, so a lesson that only works under fork would pass here by luck.
``COURSE_START_METHOD`` makes the setup cell (``lesson.use_start_method()``) set the start method.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from grading.harness import (REPO, autograde, build_submission, generate_assignment, make_course,
                      read_notebooks, solution_cells, write_submission)

ASSIGNMENT = "04-multiprocessing"


def processes_under(folder: Path) -> set[int]:
    """Pids of processes whose working directory lies under *folder* (kernels and their workers)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and Path(os.readlink(entry / "cwd")).is_relative_to(folder):
                pids.add(int(entry.name))
        except OSError:
            continue
    return pids


@pytest.mark.pipeline
@pytest.mark.timeout(900)
@pytest.mark.skipif(not (REPO / "source" / ASSIGNMENT).is_dir(), reason="no lesson 4 yet")
def test_lesson_4_grades_the_same_under_spawn(tmp_path, monkeypatch):
    """With spawn forced, the solution gets full marks, the stub 0, and no worker outlives grading."""
    monkeypatch.setenv("COURSE_START_METHOD", "spawn")
    course = make_course(tmp_path / "course", REPO / "source", [ASSIGNMENT])
    generate_assignment(course, ASSIGNMENT)
    release = read_notebooks(course / "release" / ASSIGNMENT)
    source = read_notebooks(REPO / "source" / ASSIGNMENT)
    write_submission(course, ASSIGNMENT, "solution",
                     {name: build_submission(nb, solution_cells(source[name]))
                      for name, nb in release.items()})
    write_submission(course, ASSIGNMENT, "stub", {})
    scores = autograde(course, ASSIGNMENT)
    for notebook, score in scores["solution"].items():
        assert score.score == score.max_score, f"solution under spawn: {notebook} {score}"
    assert all(s.score == 0 for s in scores["stub"].values()), f"stub under spawn: {scores['stub']}"
    graded = next((course / "autograded" / "solution" / ASSIGNMENT).glob("*.ipynb"))
    setup = nbformat.read(graded, as_version=4).cells
    shown = " ".join(str(out) for cell in setup if cell.cell_type == "code" for out in cell.outputs)
    assert "spawn" in shown, "the graded notebook's report does not show the spawn start method"
    left = processes_under(tmp_path)
    assert not left, f"processes left running after grading: {sorted(left)}"
