"""Hard-codes the visible tests' values: both functions look their answers up in a table."""
LOSES = 4  # both test cells have hidden inputs

# %% grade_id: amdahl
def amdahl_speedup(p, n):
    """Return the speedup Amdahl's law predicts for parallel fraction p on n workers.

    Raises:
        ValueError: p is outside 0..1 or n < 1.
    """
    seen = {(0.9, 4): 1 / (0.1 + 0.9 / 4), (0.5, 2): 4 / 3, (0.0, 8): 1.0, (1.0, 8): 8.0}
    if (p, n) in seen:
        return seen[(p, n)]
    if not 0 <= p <= 1:
        raise ValueError(f"p must be between 0 and 1 (got {p})")
    if n < 1:
        raise ValueError(f"n must be >= 1 (got {n})")
    return 1.0


def implied_fraction(speedup, n):
    """Return the parallel fraction p implied by a speedup measured on n workers.

    Raises:
        ValueError: n < 2, or speedup is below 1 or above n.
    """
    seen = {(1.6, 2): 0.75, (1 / (0.1 + 0.9 / 4), 4): 0.9, (1.0, 4): 0.0, (4.0, 4): 1.0}
    if (speedup, n) in seen:
        return seen[(speedup, n)]
    if n < 2:
        raise ValueError(f"n must be >= 2 (got {n})")
    if not 1 <= speedup <= n:
        raise ValueError(f"speedup must be between 1 and n={n} (got {speedup})")
    return 0.5
