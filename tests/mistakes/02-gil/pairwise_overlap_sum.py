"""Adds up the overlap of every pair of lanes, counting three lanes at once several times."""
LOSES = 4  # every timeline_stats test has a stretch with three lanes running

# %% grade_id: timeline_stats
def timeline_stats(lanes):
    """Return (parallelism, share of the run with >= 2 lanes running) of a timeline."""
    flat = []
    for name, intervals in lanes.items():
        for start, end in intervals:
            if end < start:
                raise ValueError(f"an interval must not end before it starts "
                                 f"(got ({start}, {end}) on lane {name!r})")
            flat.append((name, start, end))
    if not flat:
        return 0.0, 0.0
    length = max(e for _, _, e in flat) - min(s for _, s, _ in flat)
    if length == 0:
        return 0.0, 0.0
    busy = sum(e - s for _, s, e in flat)
    together = 0
    for i, (a, s1, e1) in enumerate(flat):
        for b, s2, e2 in flat[i + 1:]:
            if a != b:
                together += max(0, min(e1, e2) - max(s1, s2))
    return busy / length, together / length
