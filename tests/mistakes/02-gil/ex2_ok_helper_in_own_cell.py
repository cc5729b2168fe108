"""Correct, with the lifetime check in a helper the student wrote in a cell of their own, after
the solution cell."""
LOSES = 0

# %% grade_id: classify_run
def classify_run(lanes, min_share=0.05):
    """Return "parallel", "concurrent" or "sequential" for a chart given as plain data."""
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be > 0 and <= 1 (got {min_share})")
    rows = [(name, start, end) for name, intervals in lanes.items() for start, end in intervals]
    if rows and course.Timeline.from_segments(rows).share_at_least(2) >= min_share:
        return "parallel"
    return "concurrent" if lifetimes_overlap(lanes) else "sequential"

# %% new cell after grade_id: classify_run
def lifetimes_overlap(lanes):
    """True when some two lanes' lifetimes (first start to last end) overlap."""
    lives = sorted((min(s for s, _ in ivs), max(e for _, e in ivs)) for ivs in lanes.values() if ivs)
    return any(later[0] < earlier[1] for earlier, later in zip(lives, lives[1:]))
