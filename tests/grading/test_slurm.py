"""deploy/slurm/ on a real single-node Slurm: the job array grades the class in shards, the
dependent merge job puts every grade in the course gradebook, equal to a serial run's."""

from __future__ import annotations

import subprocess
import sys

import pytest
from servers import slurm_cluster
from small_class import (ASSIGNMENT, BROKEN, copy_class, environment, gradebook_snapshot,
                         students)

from grading.harness import REPO
from grading.shards import Journal

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("small-class")]

SUBMIT = REPO / "deploy" / "slurm" / "submit.sh"
JOBS_TIMEOUT_S = 900


def test_job_array_then_merge_matches_serial(class_template, serial_grades, tmp_path):
    """Two shards (one CPU and two workers each) and the merge: scores equal serial autograde's,
    every submission graded by exactly one shard, the run's chart drawn."""
    course = copy_class(class_template, tmp_path / "course")
    with slurm_cluster() as slurm:
        env = environment(**{k: v for k, v in slurm.items() if k == "SLURM_CONF"},
                          GRADING_PYTHON=sys.executable)
        submitted = subprocess.run(["bash", str(SUBMIT), "--shards", "2", "--cpus", "1",
                                    "--workers", "2", "--wait"], cwd=course, env=env,
                                   capture_output=True, text=True, timeout=JOBS_TIMEOUT_S)
    shards = course / "gradebook-shards"
    logs = "\n".join(f"--- {p.name}\n{p.read_text()}" for p in sorted(shards.glob("*.out")))
    report = f"{submitted.stdout}{submitted.stderr}\n{logs}"
    # The merge exits 1 because the broken notebook could not be graded, and says so.
    assert "exit status 1" in submitted.stdout, report
    assert f"{BROKEN} / {ASSIGNMENT}" in logs, report
    assert gradebook_snapshot(f"sqlite:///{course / 'gradebook.db'}") == serial_grades, report
    graded = [e.student for j in sorted(shards.glob("shard-*.jsonl.merged"))
              for e in Journal(j).entries() if e.student]
    assert len(list(shards.glob("shard-*.jsonl.merged"))) == 2, report
    assert sorted(graded) == students(course), report
    assert not list(shards.glob("shard-*.db")), "merged shards are set aside"
    assert (course / "grading-run.png").exists()
