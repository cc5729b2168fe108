"""Correct, without the library: its own sweep over start and end events, and every pair of
lifetimes compared."""
LOSES = 0

# %% grade_id: classify_run
def classify_run(lanes, min_share=0.05):
    """Return "parallel", "concurrent" or "sequential" for a chart given as plain data."""
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be > 0 and <= 1 (got {min_share})")
    events = sorted((t, +1 if i == 0 else -1) for ivs in lanes.values() for iv in ivs
                    for i, t in enumerate(iv) if iv[1] > iv[0])
    if events:
        together, running = 0, 0
        for (t, delta), (t_next, _) in zip(events, events[1:]):
            running += delta
            if running >= 2:
                together += t_next - t
        starts_ends = [t for ivs in lanes.values() for iv in ivs for t in iv]
        if together / (max(starts_ends) - min(starts_ends)) >= min_share:
            return "parallel"
    lives = [(min(s for s, _ in ivs), max(e for _, e in ivs)) for ivs in lanes.values() if ivs]
    for i, (s1, e1) in enumerate(lives):
        for s2, e2 in lives[i + 1:]:
            if s1 < e2 and s2 < e1:
                return "concurrent"
    return "sequential"
