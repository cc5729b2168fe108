"""Ignores the context it is given and starts a pool of the default start method."""
LOSES = 1  # count_primes_even_ranges

# %% grade_id: count_primes
def count_primes(n, workers=2, context=None, count=mp_work.count_primes_between):
    """Count the primes below n, splitting [0, n) into `workers` ranges counted in parallel."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    if n < 2:
        return 0
    bounds = [i * n // workers for i in range(workers + 1)]
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.starmap(count, zip(bounds, bounds[1:])))
