"""Tests for grading.harness.fairness: reading and comparing visible-test verdicts."""

from nbformat.v4 import new_code_cell, new_notebook, new_output

from grading.harness.fairness import Verdict, compare, graded_verdicts, kernel_verdicts

TEST = "assert f() == 1, 'visible'\n### BEGIN HIDDEN TESTS\nassert g() == 2, 'hidden'"


def graded_cell(grade_id: str, error_line: int | None = None):
    cell = new_code_cell(TEST, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": grade_id, "points": 1}})
    if error_line is not None:
        cell.outputs = [new_output("error", ename="AssertionError", evalue="x",
                                   traceback=[f"Cell In[3], line {error_line}\n", "E"])]
    return cell


def test_graded_verdicts_read_where_the_cell_failed():
    """A failure before the hidden marker fails the visible part; one after it does not."""
    nb = new_notebook(cells=[graded_cell("ok"), graded_cell("visible", 1),
                             graded_cell("hidden", 3)])
    verdicts = graded_verdicts(nb)
    assert [verdicts[k].passed for k in ("ok", "visible", "hidden")] == [True, False, True]


def test_kernel_verdicts_pass_when_nothing_was_raised():
    """In the student's kernel a test passes exactly when it raised nothing."""
    nb = new_notebook(cells=[graded_cell("ok"), graded_cell("bad", 1)])
    assert {k: v.passed for k, v in kernel_verdicts(nb).items()} == {"ok": True, "bad": False}


def test_compare_lists_only_disagreements():
    """Agreement gives no line; a disagreement names the test and both verdicts."""
    student = {"a": Verdict(True), "b": Verdict(False, "E: x")}
    graded = {"a": Verdict(True), "b": Verdict(True)}
    assert compare(student, graded) == [
        "b: in the student's kernel failed (E: x), in autograde passed"]
