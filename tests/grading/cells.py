"""Small notebooks for the grading tests: solution and test cells with nbgrader metadata."""

import time

from nbformat.v4 import new_code_cell, new_notebook

from grading.execute import GuardedExecute

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def solution(source: str, grade_id: str = "answer"):
    return new_code_cell(source, metadata={"nbgrader": {
        "solution": True, "grade": False, "locked": False, "grade_id": grade_id,
        "schema_version": 3}})


def graded_cell(source: str, grade_id: str, points: float = 1):
    return new_code_cell(source, metadata={"nbgrader": {
        "solution": False, "grade": True, "locked": True, "grade_id": grade_id,
        "points": points, "schema_version": 3}})


def execute(cells, **traits):
    """Run cells with GuardedExecute (short limits); return (notebook, seconds)."""
    limits = dict(timeout=10, solution_timeout=2, interrupt_grace=1, iopub_timeout=5,
                  raise_on_iopub_timeout=False)
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC})
    started = time.perf_counter()
    GuardedExecute(**{**limits, **traits}).preprocess(nb, {"nbgrader": {"student": "s",
                                                                       "notebook": "n"}})
    return nb, time.perf_counter() - started


def errors(cell) -> list[str]:
    return [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]


def text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


