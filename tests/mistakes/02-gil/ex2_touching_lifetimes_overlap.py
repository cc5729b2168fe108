"""Counts lifetimes that only touch (one ends as the next starts) as overlapping."""
LOSES = 3  # both classify_run tests include tasks run back to back

# %% grade_id: classify_run
def classify_run(lanes, min_share=0.05):
    """Return "parallel", "concurrent" or "sequential" for a chart given as plain data."""
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be > 0 and <= 1 (got {min_share})")
    rows = [(name, start, end) for name, intervals in lanes.items() for start, end in intervals]
    if rows and course.Timeline.from_segments(rows).share_at_least(2) >= min_share:
        return "parallel"
    lifetimes = sorted((min(s for s, _ in ivs), max(e for _, e in ivs)) for ivs in lanes.values() if ivs)
    for (_, first_end), (second_start, _) in zip(lifetimes, lifetimes[1:]):
        if second_start <= first_end:
            return "concurrent"
    return "sequential"
