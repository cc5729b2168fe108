"""Delegates to the library: counts up with course.amdahl.predict, whose errors say something else
and which never tells an unreachable target."""
LOSES = 2  # the workers_needed test checks its messages

# %% grade_id: amdahl_backwards
from course import amdahl


def workers_needed(p, target):
    """Return the fewest workers whose Amdahl speedup for parallel fraction p reaches target."""
    n = 1
    while amdahl.predict(p, n) < target:
        n += 1
    return n


def implied_fraction(speedup, n):
    """Return the parallel fraction p implied by a speedup measured on n workers."""
    if n < 2:
        raise ValueError(f"n must be >= 2 (got {n})")
    if not 1 <= speedup <= n:
        raise ValueError(f"speedup must be between 1 and n={n} (got {speedup})")
    return (1 - 1 / speedup) / (1 - 1 / n)
