"""Fair grading: every catalogued submission's visible tests get the same verdict from autograde as
in the student's own kernel after *Restart and Run All*.

For each lesson, each submission the pipeline graded (solution, stub, every catalogue entry) is
also run top to bottom in a plain kernel with nbclient, as a student would; for every visible
test, pass or fail must agree with autograde's verdict on that test's visible part
(grading/harness/fairness.py says how the autograded verdict is read).

The plain kernels also stand in for students with other machines: each lesson's solution runs
three times, with the CPU count forced through COURSE_CPUS (as course.cores reads it) to 1, 2 and
96, and must run clean, without an error in any cell, under each.
"""

from __future__ import annotations

import time

import nbformat
import pytest

from assignments import DEFAULT, LESSONS
from grading.harness import SOLUTION, STUB
from grading.harness.fairness import compare, graded_verdicts, run_in_kernels

PARALLEL = 2  # kernels at once: lessons mostly wait on sleeps, barriers and pools
CPUS_ENV = "COURSE_CPUS"
FORCED_CPUS = ("1", "2", "96")  # a one-core share, this machine, a big node without a quota


def _with_cpus(cpus: str) -> str:
    """The name of the extra run of the solution with *cpus* cores forced."""
    return f"{SOLUTION} with {cpus} cores"


def _entries():
    return [pytest.param(case, student, id=f"{case.name}/{student}") for case in LESSONS
            for student in [SOLUTION, STUB] + [f"mistake-{p.stem}" for p in case.mistake_files()]]


@pytest.fixture(scope="session")
def student_runs(pipeline_runs, timings):
    """runs(case): {student: KernelRun} from plain kernels, made once per lesson; the solution
    also runs with each forced CPU count (see _with_cpus)."""
    cache: dict[str, dict] = {}

    def get(case):
        if case.name not in cache:
            run = pipeline_runs(DEFAULT, case)
            folders = {student: run.course_dir / "submitted" / student / case.name
                       for student in run.scores}
            # The solution runs once per forced count; the other submissions as on this machine
            # (96 cores' worth of pools on every one of them would cost minutes, not coverage).
            envs = {SOLUTION: {CPUS_ENV: FORCED_CPUS[0]}}
            for cpus in FORCED_CPUS[1:]:
                folders[_with_cpus(cpus)] = folders[SOLUTION]
                envs[_with_cpus(cpus)] = {CPUS_ENV: cpus}
            started = time.perf_counter()
            cache[case.name] = run_in_kernels(folders, parallel=PARALLEL, envs=envs)
            timings.append((f"{case.name}: {len(folders)} submissions run in plain kernels",
                            time.perf_counter() - started))
        return cache[case.name]

    return get


@pytest.mark.pipeline
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("case, student", _entries())
def test_visible_verdicts_match_autograde(case, student, pipeline_runs, student_runs):
    """Each visible test passes in the student's kernel exactly when autograde passes it."""
    run = pipeline_runs(DEFAULT, case)
    assert student in run.scores, f"{student} was not graded (see tests/test_pipeline.py)"
    in_kernel = student_runs(case)[student].verdicts
    mismatches = []
    for notebook, verdicts in in_kernel.items():
        graded = run.course_dir / "autograded" / student / case.name / f"{notebook}.ipynb"
        found = compare(verdicts, graded_verdicts(nbformat.read(graded, as_version=4)))
        mismatches += [f"{notebook}: {line}" for line in found]
    assert not mismatches, (
        f"{case.name}/{student}: visible tests judged differently in the student's kernel and by "
        "autograde:\n  " + "\n  ".join(mismatches))


@pytest.mark.pipeline
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("cpus", FORCED_CPUS)
@pytest.mark.parametrize("case", LESSONS, ids=lambda case: case.name)
def test_solution_runs_clean_with_forced_cores(case, cpus, student_runs):
    """Every cell of the solution runs without an error with 1, 2 or 96 cores forced."""
    runs = student_runs(case)
    run = runs.get(_with_cpus(cpus)) or runs[SOLUTION]  # the solution's own run has the first
    errors = [f"{notebook}: {line}" for notebook, lines in run.errors.items() for line in lines]
    assert not errors, (f"{case.name}'s solution with {CPUS_ENV}={cpus}: cells raised:\n  "
                        + "\n  ".join(errors))
