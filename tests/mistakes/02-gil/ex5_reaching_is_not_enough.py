"""Asks for a speedup above the target (> instead of >=), so a target met exactly takes one worker too many."""
LOSES = 2  # the workers_needed test has a target of 1, met by one worker

# %% grade_id: amdahl_backwards
def workers_needed(p, target):
    """Return the fewest workers whose Amdahl speedup for parallel fraction p reaches target."""
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1] (got {p})")
    if target < 1:
        raise ValueError(f"target must be >= 1 (got {target})")
    if target > 1 and p < 1 and target >= 1 / (1 - p):
        raise ValueError(f"target must be below 1 / (1 - p) = {1 / (1 - p):g} (got {target}): "
                         "no number of workers reaches it")
    n = 1
    while 1 / ((1 - p) + p / n) <= target:
        n += 1
    return n


def implied_fraction(speedup, n):
    """Return the parallel fraction p implied by a speedup measured on n workers."""
    if n < 2:
        raise ValueError(f"n must be >= 2 (got {n})")
    if not 1 <= speedup <= n:
        raise ValueError(f"speedup must be between 1 and n={n} (got {speedup})")
    return (1 - 1 / speedup) / (1 - 1 / n)
