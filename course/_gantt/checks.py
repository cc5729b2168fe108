"""Checks at the door of every chart: a non-empty Timeline (or Result), valid options."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes

from ..timeline import Timeline


def _checked_timeline(timeline) -> Timeline:
    inner = getattr(timeline, "timeline", None)
    if not isinstance(timeline, Timeline) and isinstance(inner, Timeline):
        timeline = inner  # a Result of course.run
    if not isinstance(timeline, Timeline):
        raise TypeError(f"timeline must be a Timeline or a Result of course.run "
                        f"(got {type(timeline).__name__})")
    if timeline.is_empty or timeline.wall_ns <= 0 or not timeline.segments():
        raise ValueError("timeline is empty: nothing was recorded")
    return timeline


def _check_options(title, zoom, profile, ax, figsize, interval) -> None:
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None (got {type(title).__name__})")
    _check_zoom(zoom)
    if not isinstance(profile, bool):
        raise TypeError(f"profile must be True or False (got {profile!r})")
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None (got {type(ax).__name__})")
    if figsize is not None and not (
            isinstance(figsize, (tuple, list)) and len(figsize) == 2
            and all(_is_number(v) and v > 0 for v in figsize)):
        raise ValueError(f"figsize must be a (width, height) pair of inches > 0 (got {figsize!r})")
    if interval is not None and not (_is_number(interval) and interval > 0):
        raise ValueError(f"switch_interval must be > 0 seconds (got {interval!r})")


def _check_zoom(zoom) -> None:
    ok = (zoom is None or zoom is False or (isinstance(zoom, str) and zoom == "auto")
          or (_is_number(zoom) and zoom > 0)
          or (isinstance(zoom, (tuple, list)) and len(zoom) == 2
              and all(_is_number(v) for v in zoom) and 0 <= zoom[0] < zoom[1]))
    if not ok:
        raise ValueError("zoom must be 'auto', None, a width in seconds > 0 or a "
                         f"(start_s, end_s) pair with 0 <= start_s < end_s (got {zoom!r})")


def _is_number(value) -> bool:
    return (isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
            and math.isfinite(value))
