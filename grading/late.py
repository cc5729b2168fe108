"""Late submissions: a penalty that grows with each started day past the due date.

nbgrader knows only "no penalty" and "zero marks". A course usually wants something between:
``percent_per_day`` of the score for each day or part of a day late, up to ``max_percent``.
Due dates are set per assignment (``nbgrader db assignment add <name> --duedate=...``); the
exchange and ``zip_collect`` record when each submission arrived.
"""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

__all__ = ["LatePenalty"]

DAY_S = 24 * 3600


class LatePenalty(LateSubmissionPlugin):
    """Take ``percent_per_day`` of the score for each started day late, at most ``max_percent``."""

    percent_per_day = Float(10.0, help="Percent of the score taken per started day late.").tag(
        config=True)
    max_percent = Float(100.0, help="The most a late submission can lose, in percent.").tag(
        config=True)

    def late_submission_penalty(self, student_id: str, score: float,
                                total_seconds_late: float) -> float | None:
        """The points to take off *score* for a submission *total_seconds_late* late."""
        if total_seconds_late <= 0:
            return None
        days = math.ceil(total_seconds_late / DAY_S)
        percent = min(self.max_percent, days * self.percent_per_day)
        self.log.info("%s is %d day(s) late: %g%% of %g taken off", student_id, days, percent,
                      score)
        return score * percent / 100
