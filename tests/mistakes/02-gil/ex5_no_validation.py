"""Right formulas, but impossible inputs are not refused with ValueError."""
LOSES = 4  # both Amdahl tests check the errors

# %% grade_id: amdahl_backwards
def workers_needed(p, target):
    """Return the fewest workers whose Amdahl speedup for parallel fraction p reaches target."""
    n = 1
    while 1 / ((1 - p) + p / n) < target:
        n += 1
    return n


def implied_fraction(speedup, n):
    """Return the parallel fraction p implied by a speedup measured on n workers."""
    return (1 - 1 / speedup) / (1 - 1 / n)
