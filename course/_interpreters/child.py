"""The other Python's side of :mod:`course.interpreters`: run what was asked, print it as JSON."""

from __future__ import annotations

import json
import sys

from ..experiments import Result
from .builds import current_interpreter
from .plumbing import _RESULT_MARK


def _child_main() -> None:
    """Entry point in the other Python: run the requested experiment, print it as JSON."""
    request = json.loads(sys.argv[1])
    try:
        from ..experiments import run
        result = run(request["workload"], request["workers"], request["backend"],
                     timeout=request["timeout"], **request["options"])
        reply = {"build": _build_fields(), "result": _export(result)}
    except Exception as exc:  # relayed to the parent, which raises it there
        reply = {"error": {"type": type(exc).__name__, "message": str(exc)}}
    print(_RESULT_MARK + json.dumps(reply), flush=True)


def _child_spin() -> None:
    """Entry point in the other Python: best time of spin(n) over r runs, printed."""
    import time

    from ..workloads import spin
    iterations, repeats = int(sys.argv[1]), int(sys.argv[2])
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        spin(iterations)
        best = min(best, time.perf_counter() - start)
    print(_RESULT_MARK + json.dumps(best), flush=True)


def _build_fields() -> dict:
    here = current_interpreter()
    return {"version": here.version, "implementation": here.implementation,
            "free_threaded": here.free_threaded, "gil_enabled": here.gil_enabled}


def _export(result: Result) -> dict:
    timeline = result.timeline
    return {"workload": result.workload, "backend": result.backend, "workers": result.workers,
            "start_method": result.start_method, "size_ms": result.size_ms,
            "switch_interval": result.switch_interval, "label": timeline.label,
            "cores": timeline.cores, "wall_ns": timeline.wall_ns,
            "lanes": [_relative(lane, timeline.start_ns) for lane in timeline.lanes]}


def _relative(lane: dict, start_ns: int) -> dict:
    """A lane with its times counted from the window's start, so no clock needs aligning."""
    launch = lane.get("launch_ns")
    return {**lane, "spans": [(s - start_ns, e - start_ns, k) for s, e, k in lane["spans"]],
            "launch_ns": None if launch is None else launch - start_ns, "clock_pair": None}
