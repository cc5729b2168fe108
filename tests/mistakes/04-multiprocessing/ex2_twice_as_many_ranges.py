"""Splits into twice as many ranges as workers (for balance): the count is right, the split
is not the one asked for."""
LOSES = 1  # count_primes_even_ranges

# %% grade_id: count_primes
def count_primes(n, workers=2, context=None, count=mp_work.count_primes_between):
    """Count the primes below n, splitting [0, n) into `workers` ranges counted in parallel."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    if n < 2:
        return 0
    parts = 2 * workers
    bounds = [i * n // parts for i in range(parts + 1)]
    context = context if context is not None else multiprocessing.get_context()
    with context.Pool(workers) as pool:
        return sum(pool.starmap(count, zip(bounds, bounds[1:])))
