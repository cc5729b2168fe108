"""Gives every worker n // workers numbers: the last n % workers numbers are never counted."""
LOSES = 2  # count_primes_even_ranges, count_primes_edge_cases

# %% grade_id: count_primes
def count_primes(n, workers=2, context=None, count=mp_work.count_primes_between):
    """Count the primes below n, splitting [0, n) into `workers` ranges counted in parallel."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    if n < 2:
        return 0
    size = n // workers
    ranges = [(i * size, (i + 1) * size) for i in range(workers)]
    context = context if context is not None else multiprocessing.get_context()
    with context.Pool(workers) as pool:
        return sum(pool.starmap(count, ranges))
