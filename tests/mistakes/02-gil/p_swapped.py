"""Treats p as the serial share: Amdahl's law with p and 1 - p swapped, both ways."""
LOSES = 4  # both Amdahl tests check values

# %% grade_id: amdahl
def amdahl_speedup(p, n):
    """Return the speedup Amdahl's law predicts for parallel fraction p on n workers."""
    if not 0 <= p <= 1:
        raise ValueError(f"p must be between 0 and 1 (got {p})")
    if n < 1:
        raise ValueError(f"n must be >= 1 (got {n})")
    return 1 / (p + (1 - p) / n)


def implied_fraction(speedup, n):
    """Return the parallel fraction p implied by a speedup measured on n workers."""
    if n < 2:
        raise ValueError(f"n must be >= 2 (got {n})")
    if not 1 <= speedup <= n:
        raise ValueError(f"speedup must be between 1 and n={n} (got {speedup})")
    return 1 - (1 - 1 / speedup) / (1 - 1 / n)
