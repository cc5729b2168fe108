"""Timelines: what each thread or process did, when, measured.

Workers do their work in small chunks and append ``(start_ns, end_ns, kind)`` to a per-lane
list (a bound ``list.append`` costs about 300 ns, a shared list behind a lock twice that).
The raw chunks are then *classified*: under the GIL a chunk that lost the interpreter halfway
keeps its clock running while the thread waits, so a chunk much longer than its lane's median
is "ready, not running" rather than running. Consecutive running chunks are merged into
segments, and the metrics (CPU/wall, lanes running at once) are computed from the segments.

Raw kinds a worker records: ``"work"`` (computing) and ``"wait"`` (blocked: sleep, I/O, a
lock). Segment kinds after classification: ``running``, ``ready``, ``waiting``, ``startup``.

Built from small modules in ``course/_timeline/`` (kinds, recorder, clocks, segments, model);
this module is where every name is imported from.
"""

from __future__ import annotations

from ._timeline.kinds import (RAW_KINDS, READY, RUNNING, SEGMENT_KINDS, STARTUP, WAIT, WAITING,
                              WORK)
from ._timeline.model import Metrics, Timeline
from ._timeline.recorder import Lane, Recorder
from ._timeline.segments import Segment
from .cores import usable_cores

# Shared with other modules of the course, not part of the students' API.
from ._timeline.clocks import CLOCK_SHIFT_THRESHOLD_NS as CLOCK_SHIFT_THRESHOLD_NS
from ._timeline.clocks import clock_pair as clock_pair
from ._timeline.kinds import LANE_MODES as LANE_MODES
from ._timeline.model import WINDOW_SLACK_NS as WINDOW_SLACK_NS
from ._timeline.segments import MERGE_MIN_GAP_NS as MERGE_MIN_GAP_NS
from ._timeline.segments import STRETCH_FACTOR as STRETCH_FACTOR
from ._timeline.segments import STRETCH_MIN_NS as STRETCH_MIN_NS
from ._timeline.segments import _step_profile as _step_profile

__all__ = [
    "WORK", "WAIT", "RUNNING", "READY", "WAITING", "STARTUP", "SEGMENT_KINDS", "RAW_KINDS",
    "Lane", "Recorder", "Segment", "Metrics", "Timeline", "usable_cores",
]
