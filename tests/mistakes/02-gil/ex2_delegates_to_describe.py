"""Delegates to the library: reads the verdict off course.describe's chart title, whose fixed
threshold is not min_share."""
LOSES = 3  # both tests have runs together for more than min_share and less than describe's 10%

# %% grade_id: classify_run
def classify_run(lanes, min_share=0.05):
    """Return "parallel", "concurrent" or "sequential" for a chart given as plain data."""
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be > 0 and <= 1 (got {min_share})")
    rows = [(name, start, end) for name, intervals in lanes.items() for start, end in intervals]
    finding = course.describe(course.Timeline.from_segments(rows))
    if "in parallel" in finding:
        return "parallel"
    if "one after another" in finding or "alone" in finding:
        return "sequential"
    return "concurrent"
