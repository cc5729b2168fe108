"""Correct: ranges from divmod (the first n % workers ranges one longer), counted with
ProcessPoolExecutor.submit."""
LOSES = 0

# %% grade_id: count_primes
from concurrent.futures import ProcessPoolExecutor


def count_primes(n, workers=2, context=None, count=mp_work.count_primes_between):
    """Count the primes below n, splitting [0, n) into `workers` ranges counted in parallel."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    if n < 2:
        return 0
    size, extra = divmod(n, workers)
    ranges, lo = [], 0
    for i in range(workers):
        hi = lo + size + (1 if i < extra else 0)
        ranges.append((lo, hi))
        lo = hi
    context = context if context is not None else multiprocessing.get_context()
    with ProcessPoolExecutor(workers, mp_context=context) as executor:
        futures = [executor.submit(count, lo, hi) for lo, hi in ranges]
        return sum(future.result(timeout=60) for future in futures)
