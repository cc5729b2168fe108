"""A PostgreSQL gradebook on a real server: the workers write their grades straight into it (no
shards, no merge), and they equal a serial run's on SQLite."""

from __future__ import annotations

import subprocess
import sys

import pytest
from servers import postgres_server
from small_class import (ASSIGNMENT, copy_class, environment, gradebook_snapshot)

from grading.harness import run_nbgrader

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("small-class")]

RUN_TIMEOUT_S = 600


def test_workers_write_to_postgres_directly(class_template, serial_grades, tmp_path):
    """Three workers grade into PostgreSQL: equal to serial autograde, no worker gradebook."""
    course = copy_class(class_template, tmp_path / "course")
    (course / "gradebook.db").unlink()
    with postgres_server() as db_url:
        with open(course / "nbgrader_config.py", "a") as config:
            config.write(f"\nc.CourseDirectory.db_url = {db_url!r}\n")
        run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")  # registers it
        run = subprocess.run([sys.executable, "-m", "grading", "--workers", "3"], cwd=course,
                             env=environment(), capture_output=True, text=True,
                             timeout=RUN_TIMEOUT_S)
        output = run.stdout + run.stderr
        assert gradebook_snapshot(db_url) == serial_grades, output
    assert run.returncode == 1, output  # the broken notebook is listed, loudly
    assert not (course / "gradebook.db").exists()
    assert not list(course.glob(".grading/local/worker-*/gradebook.db")), "no shards"
    assert (course / "grading-run.png").exists()
