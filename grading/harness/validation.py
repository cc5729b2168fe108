"""Validate, checked: each visible test's verdict from the Validate button equals autograde's.

The Validate button runs a student's notebook by autograde's rules, minus the hidden tests
(grading/validate.py). Here it runs on submissions of a scratch course, several at a time, each
batch in a worker (``python -m grading.validate``) started in the course, as the server starts
them, and its responses are read back as one verdict per test cell:

    responses = validate_notebooks(course_dir, [course_dir / "submitted/alice/02-gil/gil.ipynb"])
    verdicts = validate_verdicts(nbformat.read(path, as_version=4), responses[path])
    mismatches = disagreements(verdicts, graded_verdicts(autograded_notebook))
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nbgrader.utils import is_grade, is_solution

from ..processes import kill_tree
from .fairness import Verdict

__all__ = ["ValidateError", "validate_notebooks", "validate_verdicts", "disagreements"]


class ValidateError(RuntimeError):
    """A Validate worker failed or ran out of time; the message holds its log."""


def validate_notebooks(course_dir: Path | str, paths: list[Path], *, parallel: int = 2,
                       timeout: float = 1800, env: dict[str, str] | None = None
                       ) -> dict[Path, dict]:
    """Validate notebooks in *parallel* workers started in the course directory.

    Args:
        course_dir: the course root (the workers read its nbgrader_config.py).
        paths: the notebooks.
        parallel: workers at once, each validating its share one notebook after the other.
        timeout: seconds for all of them.
        env: variables to add to the workers' environment (their kernels inherit them), as
            autograde got them, e.g. COURSE_START_METHOD.

    Returns:
        {path: the Validate response} ({"success": ..., "value": ...}, as the button gets it).

    Raises:
        ValidateError: a worker failed, or they all ran out of time.
    """
    shares = [paths[i::parallel] for i in range(parallel) if paths[i::parallel]]
    deadline = time.monotonic() + timeout
    responses: dict[Path, dict] = {}
    with tempfile.TemporaryDirectory(prefix="validate-") as scratch:
        logs = [(Path(scratch) / f"{i}.out", Path(scratch) / f"{i}.err")
                for i in range(len(shares))]
        workers = [_start(course_dir, share, out, err, env)
                   for share, (out, err) in zip(shares, logs)]
        try:
            for worker, (out, err) in zip(workers, logs):
                worker.wait(timeout=max(deadline - time.monotonic(), 1))
                if worker.returncode != 0:
                    raise ValidateError(f"`python -m grading.validate` exited with code "
                                        f"{worker.returncode}:\n{err.read_text()[-5000:]}")
                for line in out.read_text().splitlines():
                    answer = json.loads(line)
                    responses[Path(answer["path"])] = answer["response"]
        except subprocess.TimeoutExpired:
            raise ValidateError(f"Validate did not finish {len(paths)} notebooks within "
                                f"{timeout:g} s") from None
        finally:
            for worker in workers:
                if worker.poll() is None:
                    kill_tree(worker.pid)
    return responses


def _start(course_dir, paths: list[Path], out: Path, err: Path,
           env: dict[str, str] | None) -> subprocess.Popen:
    with open(out, "w") as stdout, open(err, "w") as stderr:
        return subprocess.Popen([sys.executable, "-m", "grading.validate", *map(str, paths)],
                                cwd=course_dir, stdout=stdout, stderr=stderr,
                                stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})


def validate_verdicts(nb, response: dict) -> dict[str, Verdict]:
    """{grade_id: Verdict} of a notebook's test cells, read from its Validate response.

    A test cell failed when the response lists it (by its source, as the dialog shows it)
    among the failed cells. A response that is no verdict (an error, changed cells) raises.

    Raises:
        ValidateError: the response holds no per-test verdict.
    """
    value = response.get("value")
    if not response.get("success") or not isinstance(value, dict) or set(value) - {"failed"}:
        raise ValidateError(f"Validate gave no verdict: {json.dumps(response)[:3000]}")
    failed = {cell["source"]: cell.get("raw_error", "") for cell in value.get("failed", [])}
    verdicts = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or not is_grade(cell) or is_solution(cell):
            continue
        error = failed.get(cell.source.strip())
        verdicts[cell.metadata.nbgrader["grade_id"]] = (
            Verdict(True) if error is None else Verdict(False, _last_line(error)))
    return verdicts


def _last_line(error: str) -> str:
    """The error's last non-blank line (the exception and its message), ANSI codes removed."""
    from nbconvert.filters import strip_ansi

    lines = [line for line in strip_ansi(error).splitlines() if line.strip()]
    return lines[-1][:200] if lines else "failed"


def disagreements(validate: dict[str, Verdict], graded: dict[str, Verdict]) -> list[str]:
    """One line per test cell whose verdict from Validate differs from autograde's (visible
    part, see fairness.graded_verdicts); a test missing on one side counts as failed there."""
    return [f"{grade_id}: Validate {validate.get(grade_id, 'missing')}, "
            f"autograde {graded.get(grade_id, 'missing')}"
            for grade_id in sorted(set(validate) | set(graded))
            if (validate.get(grade_id) or Verdict(False)).passed
            != (graded.get(grade_id) or Verdict(False)).passed]

