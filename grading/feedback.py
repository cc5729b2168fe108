"""Feedback without the answers: hidden tests are cut from the cells and from their tracebacks."""

from __future__ import annotations

import re

from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from traitlets import Bool

__all__ = ["ClearHiddenTracebacks", "HIDDEN", "failing_line", "hidden_from"]

HIDDEN = ClearHiddenTests.begin_test_delimeter.default_value
HIDDEN_NOTE = ("a hidden test failed: {what}. (Your instructor hides the messages of hidden "
               "tests; the visible tests and the exercise text say what is expected.)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"^(?:Cell In\[\d+\]|Input In \[\d+\]), line (\d+)"
                        r"|^File \S*ipykernel_\d+/\d+\.py:(\d+)", re.MULTILINE)


def failing_line(output) -> int | None:
    """The line of the cell's own code an error output was raised from (None: not known).

    IPython's traceback names the cell's own frame first ("Cell In[7], line 12").
    """
    for entry in output.get("traceback", []):
        match = _CELL_LINE.search(_ANSI.sub("", entry))
        if match:
            return int(match.group(1) or match.group(2))
    return None


def hidden_from(source: str) -> int | None:
    """The line number of a test cell's ``### BEGIN HIDDEN TESTS`` marker (None: no hidden part)."""
    return next((i + 1 for i, line in enumerate(source.split("\n")) if HIDDEN in line), None)


class ClearHiddenTracebacks(NbGraderPreprocessor):
    """Cut the traceback of a failed test cell with hidden tests down to its last line.

    IPython's traceback quotes the cell's code around the failing line, hidden tests included,
    and ClearHiddenTests clears only the cell's source, not its outputs. The last line
    ("AssertionError: square(-3) should be 9, got -6") is what the student needs.

    A hidden test's message names the expected value. With ``hide_hidden_failures`` the message
    of an error raised from a hidden line is replaced by a note naming only the exception type.
    """

    hide_hidden_failures = Bool(
        False, help="Replace the messages of failed hidden tests (they show expected values) "
                    "by a note.").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        hidden = hidden_from(cell.source)
        if hidden is not None:
            for output in cell.get("outputs", []):
                if output.output_type != "error":
                    continue
                line = failing_line(output)
                if self.hide_hidden_failures and line is not None and line > hidden:
                    output.evalue = HIDDEN_NOTE.format(what=output.ename)
                output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
