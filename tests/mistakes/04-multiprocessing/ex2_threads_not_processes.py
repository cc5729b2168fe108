"""Counts the ranges in a pool of threads: the notebook's own process does the work."""
LOSES = 1  # count_primes_even_ranges

# %% grade_id: count_primes
def count_primes(n, workers=2, context=None, count=mp_work.count_primes_between):
    """Count the primes below n, splitting [0, n) into `workers` ranges counted in parallel."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    if n < 2:
        return 0
    from multiprocessing.pool import ThreadPool

    bounds = [i * n // workers for i in range(workers + 1)]
    with ThreadPool(workers) as pool:
        return sum(pool.starmap(count, zip(bounds, bounds[1:])))
