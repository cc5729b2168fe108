"""Validate agrees with the grade: every catalogued submission's visible tests get the same verdict
from the Validate button as from autograde.

For each lesson (and the fixture assignment, whose tests hide cases), each submission the
pipeline graded (solution, stub, every catalogue entry) is also validated as the button does it
(grading/validate.py, in workers started in the pipeline's course); for every visible test, pass
or fail must agree with autograde's verdict on that test's visible part
(grading/harness/validation.py and fairness.py say how each verdict is read).
"""

from __future__ import annotations

import time

import nbformat
import pytest

from assignments import DEFAULT, FIXTURE, FORCED_START_METHODS, LESSONS, START_METHOD_ENV
from grading.harness import SOLUTION, STUB
from grading.harness.fairness import graded_verdicts
from grading.harness.validation import disagreements, validate_notebooks, validate_verdicts

PARALLEL = 2  # Validate workers at once, as many as the server would run on 2 cores


def _entries():
    return [pytest.param(case, student, id=f"{case.name}/{student}") for case in [FIXTURE] + LESSONS
            for student in [SOLUTION, STUB] + [f"mistake-{p.stem}" for p in case.mistake_files()]]


@pytest.fixture(scope="session")
def validate_runs(pipeline_runs, timings):
    """runs(case): {notebook path: Validate response} for every submission graded, made once."""
    cache: dict[str, dict] = {}

    def get(case):
        if case.name not in cache:
            run = pipeline_runs(DEFAULT, case)
            paths = [path for student in sorted(run.scores) for path in sorted(
                (run.course_dir / "submitted" / student / case.name).glob("*.ipynb"))]
            started = time.perf_counter()
            cache[case.name] = validate_notebooks(  # the start method autograde was given
                run.course_dir, paths, parallel=PARALLEL,
                env={START_METHOD_ENV: FORCED_START_METHODS[DEFAULT]})
            timings.append((f"{case.name}: {len(paths)} notebooks validated, {PARALLEL} at a time",
                            time.perf_counter() - started))
        return cache[case.name]

    return get


@pytest.mark.pipeline
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("case, student", _entries())
def test_validate_verdicts_match_autograde(case, student, pipeline_runs, validate_runs):
    """Each visible test passes in Validate exactly when autograde passes it."""
    run = pipeline_runs(DEFAULT, case)
    assert student in run.scores, f"{student} was not graded (see tests/test_pipeline.py)"
    responses = validate_runs(case)
    submitted = run.course_dir / "submitted" / student / case.name
    mismatches = []
    for path in sorted(submitted.glob("*.ipynb")):
        graded = run.course_dir / "autograded" / student / case.name / path.name
        verdicts = validate_verdicts(nbformat.read(path, as_version=4), responses[path])
        found = disagreements(verdicts, graded_verdicts(nbformat.read(graded, as_version=4)))
        mismatches += [f"{path.name}: {line}" for line in found]
    assert not mismatches, (
        f"{case.name}/{student}: visible tests judged differently by Validate and by autograde:"
        "\n  " + "\n  ".join(mismatches))
