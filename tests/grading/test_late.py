"""Tests for grading.late: a penalty per started day late, capped."""

import pytest

from grading.late import DAY_S, LatePenalty


@pytest.mark.parametrize("seconds, penalty", [
    (0, None), (1, 1.0), (DAY_S, 1.0), (DAY_S + 1, 2.0), (30 * DAY_S, 5.0),
])
def test_penalty_per_started_day(seconds, penalty):
    """10% of a score of 10 per started day, at most 50%; on time costs nothing."""
    plugin = LatePenalty(percent_per_day=10, max_percent=50)
    assert plugin.late_submission_penalty("s", 10.0, seconds) == penalty


def test_configured_for_the_course():
    """nbgrader_config.py assigns late penalties with this plugin."""
    from grading.harness import load_config

    config = load_config()
    assert config.AssignLatePenalties.plugin_class is LatePenalty
    assert (config.LatePenalty.percent_per_day, config.LatePenalty.max_percent) == (10.0, 50.0)
