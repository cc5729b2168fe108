"""Correct: a ThreadPoolExecutor of n workers, every call submitted, the with block waits for all."""
LOSES = 0

# %% grade_id: time_threads
import time
from concurrent.futures import ThreadPoolExecutor


def time_threads(fn, n):
    """Run fn() in n threads at once; return (wall seconds, CPU seconds) of the whole run."""
    if n < 1:
        raise ValueError(f"n must be >= 1 (got {n})")
    wall0, cpu0 = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(max_workers=n) as pool:
        futures = [pool.submit(fn) for _ in range(n)]
    for future in futures:
        future.result()
    return time.perf_counter() - wall0, time.process_time() - cpu0
