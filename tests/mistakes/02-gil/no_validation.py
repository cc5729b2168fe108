"""Right formulas, but impossible inputs are not refused with ValueError."""
LOSES = 4  # both Amdahl tests check the errors

# %% grade_id: amdahl
def amdahl_speedup(p, n):
    """Return the speedup Amdahl's law predicts for parallel fraction p on n workers."""
    return 1 / ((1 - p) + p / n)


def implied_fraction(speedup, n):
    """Return the parallel fraction p implied by a speedup measured on n workers."""
    return (1 - 1 / speedup) / (1 - 1 / n)
