"""Kinds of time: what a worker records (raw) and what a timeline shows (segments)."""

from __future__ import annotations

WORK = "work"
WAIT = "wait"
RUNNING = "running"
READY = "ready"
WAITING = "waiting"
STARTUP = "startup"
SEGMENT_KINDS = (RUNNING, READY, WAITING, STARTUP)
RAW_KINDS = (WORK, WAIT)
LANE_MODES = ("threads", "tasks")
_RAW_TO_SEGMENT = {WORK: RUNNING, WAIT: WAITING, STARTUP: STARTUP}
