"""Tests for grading.export: the problem column of nbgrader export."""

from __future__ import annotations

import pytest

from grading.export import _annotate
from grading.problems import MISSING, NOT_GRADED, Problem


class TestExportRows:
    @pytest.mark.parametrize("problems, submitted, score, problem", [
        ([Problem("s", "a", "n.ipynb", NOT_GRADED, "empty file (0 bytes)")], True, "",
         "n.ipynb: not graded: empty file (0 bytes)"),
        ([Problem("s", "a", "n.ipynb", MISSING, "no n.ipynb in the submission")], True, "0.0",
         "n.ipynb: missing: no n.ipynb in the submission"),
        ([], False, "0.0", "no submission"),
        ([], True, "0.0", ""),
    ])
    def test_annotate(self, problems, submitted, score, problem):
        """Ungraded notebooks lose their score to an empty cell; every row says why."""
        row = {"raw_score": "0.0", "score": "0.0"}
        _annotate(row, problems, submitted)
        assert (row["score"], row["problem"]) == (score, problem)


