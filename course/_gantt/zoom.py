"""The zoomed part of a run: a few switch intervals where the most hand-offs happen."""

from __future__ import annotations

import sys

import numpy as np

from ..timeline import Timeline
from .checks import _check_zoom, _checked_timeline

# A zoom spans this many switch intervals: enough to see several GIL hand-offs.
ZOOM_INTERVALS = 11
# Zoom only when the run is at least this many zoom windows long (else it adds no detail).
ZOOM_MIN_RATIO = 3


def zoom_window(timeline, zoom="auto", switch_interval: float | None = None):
    """Choose the zoomed part of a run: where the most hand-offs happen, else the middle.

    Args:
        timeline: a Timeline (or a Result).
        zoom: as for :func:`plot_gantt`.
        switch_interval: seconds per switch interval (default: ``sys.getswitchinterval()``).

    Returns:
        ``(start_ns, end_ns)`` on the timeline's clock, or None when there is no zoom.
    """
    timeline = _checked_timeline(timeline)
    _check_zoom(zoom)
    start, end = timeline.start_ns, timeline.end_ns
    if zoom is None or zoom is False:
        return None
    if isinstance(zoom, (tuple, list)):
        return start + round(zoom[0] * 1e9), min(end, start + round(zoom[1] * 1e9))
    width = round((switch_interval or sys.getswitchinterval()) * ZOOM_INTERVALS * 1e9)
    if zoom == "auto":
        if timeline.wall_ns < ZOOM_MIN_RATIO * width:
            return None
    else:
        width = round(zoom * 1e9)
    if width >= timeline.wall_ns:
        return start, end
    left = _busiest(timeline, width)
    return left, left + width


def _busiest(timeline: Timeline, width: int) -> int:
    """Left edge of a *width* window holding nearly the most segment starts, nearest the middle."""
    start, end = timeline.start_ns, timeline.end_ns
    starts = np.sort(np.array([s.start_ns for s in timeline.segments()], dtype=np.int64))
    lefts = np.clip(starts - width // 10, start, end - width)
    counts = np.searchsorted(starts, lefts + width) - np.searchsorted(starts, lefts)
    good = lefts[counts >= 0.9 * counts.max()]
    middle = start + (timeline.wall_ns - width) / 2
    return int(good[np.argmin(np.abs(good - middle))])
