"""Counts the ranges in a pool of threads: right totals, but pure-Python counting in threads
takes turns under the GIL, and no other process does any work."""
LOSES = 1  # count_primes_in_processes

# %% grade_id: count_primes
def count_primes(n, workers=2, context=None, count=mp_work.count_primes_between):
    """Count the primes below n, splitting [0, n) into `workers` ranges counted in parallel."""
    from concurrent.futures import ThreadPoolExecutor

    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    if n < 2:
        return 0
    bounds = [i * n // workers for i in range(workers + 1)]
    with ThreadPoolExecutor(workers) as pool:
        return sum(pool.map(count, bounds, bounds[1:]))
