"""Gives each worker n // workers numbers and the last one the rest: ranges of 2, 2, 2 and 4 for
n = 10 on 4 workers, so one worker gets up to twice the work."""
LOSES = 1  # count_primes_even_ranges

# %% grade_id: count_primes
def count_primes(n, workers=2, context=None, count=mp_work.count_primes_between):
    """Count the primes below n, splitting [0, n) into `workers` ranges counted in parallel."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    if n < 2:
        return 0
    size = n // workers
    bounds = [i * size for i in range(workers)] + [n]
    context = context if context is not None else multiprocessing.get_context()
    with context.Pool(workers) as pool:
        return sum(pool.starmap(count, zip(bounds, bounds[1:])))
