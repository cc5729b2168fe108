"""Tests for grading.feedback: feedback keeps the message a student needs and no hidden test."""

from nbformat.v4 import new_code_cell, new_output

from grading.feedback import ClearHiddenTracebacks, failing_line, hidden_from

TEST = ("assert f(2) == 4, 'f(2) should be 4'\n### BEGIN HIDDEN TESTS\n"
        "assert f(-3) == 9, 'f(-3) should be 9, got -6'\n### END HIDDEN TESTS")


def failed_at(line: int, message: str):
    cell = new_code_cell(TEST)
    cell.outputs = [new_output("error", ename="AssertionError", evalue=message, traceback=[
        "\x1b[0;31m----\x1b[0m", f"Cell \x1b[0;32mIn[7], line {line}\x1b[0m\n  ...",
        f"AssertionError: {message}"])]
    return cell


class TestTracebacks:
    def test_failing_line_is_the_cells_own(self):
        """The first 'Cell In[n], line k' of IPython's traceback is the cell's own line."""
        assert failing_line(failed_at(3, "x").outputs[0]) == 3
        assert failing_line(new_output("error", ename="E", evalue="", traceback=["E: x"])) is None

    def test_hidden_from(self):
        """The hidden part starts at its marker's line; a cell without one has none."""
        assert hidden_from(TEST) == 2 and hidden_from("assert True") is None


class TestClearHiddenTracebacks:
    def test_traceback_cut_to_its_last_line(self):
        """The traceback quotes no code, hidden or not: only the message stays."""
        cell, _ = ClearHiddenTracebacks().preprocess_cell(failed_at(3, "f(-3) should be 9"), {}, 0)
        assert cell.outputs[0].traceback == ["AssertionError: f(-3) should be 9"]

    def test_hidden_messages_hidden_on_request(self):
        """With hide_hidden_failures a hidden test's message (the expected value) is replaced;
        a visible test's message stays."""
        hide = ClearHiddenTracebacks(hide_hidden_failures=True)
        hidden, _ = hide.preprocess_cell(failed_at(3, "f(-3) should be 9, got -6"), {}, 0)
        visible, _ = hide.preprocess_cell(failed_at(1, "f(2) should be 4"), {}, 0)
        assert "should be 9" not in hidden.outputs[0].evalue
        assert hidden.outputs[0].evalue.startswith("a hidden test failed: AssertionError.")
        assert visible.outputs[0].evalue == "f(2) should be 4"
