"""Correct, with type hints, a helper function, and notes on stderr (warnings and print)."""
LOSES = 0

# %% grade_id: classify_run
import sys
import warnings


def lifetime(intervals: list[tuple[float, float]]) -> tuple[float, float]:
    """From a lane's first start to its last end."""
    return min(s for s, _ in intervals), max(e for _, e in intervals)


def classify_run(lanes: dict[str, list[tuple[float, float]]], min_share: float = 0.05) -> str:
    """Return "parallel", "concurrent" or "sequential" for a chart given as plain data."""
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be > 0 and <= 1 (got {min_share})")
    if not any(lanes.values()):
        warnings.warn("classify_run: no intervals at all")
    rows = [(name, start, end) for name, intervals in lanes.items() for start, end in intervals]
    share = course.Timeline.from_segments(rows).share_at_least(2) if rows else 0.0
    print(f"classify_run: share together {share:.3f}", file=sys.stderr)
    if share >= min_share:
        return "parallel"
    lifetimes = sorted(lifetime(ivs) for ivs in lanes.values() if ivs)
    if any(b[0] < a[1] for a, b in zip(lifetimes, lifetimes[1:])):
        return "concurrent"
    return "sequential"
