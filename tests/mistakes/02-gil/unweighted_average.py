"""Averages the number of lanes running over change points instead of over time."""
LOSES = 4  # every timeline_stats test has lanes whose counts last unequal times

# %% grade_id: timeline_stats
def timeline_stats(lanes):
    """Return (parallelism, share of the run with >= 2 lanes running) of a timeline."""
    events = []
    for name, intervals in lanes.items():
        for start, end in intervals:
            if end < start:
                raise ValueError(f"an interval must not end before it starts "
                                 f"(got ({start}, {end}) on lane {name!r})")
            if end > start:
                events += [(start, 1), (end, -1)]
    if not events:
        return 0.0, 0.0
    events.sort()
    counts, running = [], 0
    for _, delta in events[:-1]:
        running += delta
        counts.append(running)
    return sum(counts) / len(counts), sum(c >= 2 for c in counts) / len(counts)
