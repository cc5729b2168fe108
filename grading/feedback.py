"""Feedback without the answers: hidden tests are cut from the cells and from their tracebacks."""

from __future__ import annotations

from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor

__all__ = ["ClearHiddenTracebacks"]


class ClearHiddenTracebacks(NbGraderPreprocessor):
    """Cut the traceback of a failed test cell with hidden tests down to its last line.

    IPython's traceback quotes the cell's code around the failing line, hidden tests included,
    and ClearHiddenTests clears only the cell's source, not its outputs. The last line
    ("AssertionError: square(-3) should be 9, got -6") is what the student needs.
    """

    def preprocess_cell(self, cell, resources, index):
        if ClearHiddenTests.begin_test_delimeter.default_value in cell.source:
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
