"""Correct: starmap_async with a timeout, type hints, and notes on stderr."""
LOSES = 0

# %% grade_id: count_primes
import sys


def count_primes(n: int, workers: int = 2, context=None, count=mp_work.count_primes_between) -> int:
    """Count the primes below n, splitting [0, n) into `workers` ranges counted in parallel."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    if n < 2:
        return 0
    ranges = [(i * n // workers, (i + 1) * n // workers) for i in range(workers)]
    print(f"counting {ranges}", file=sys.stderr)
    context = context if context is not None else multiprocessing.get_context()
    with context.Pool(processes=workers) as pool:
        counts = pool.starmap_async(count, ranges).get(timeout=60)
    print(f"counts per range: {counts}")
    return sum(counts)
