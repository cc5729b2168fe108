"""Joins each thread right after starting it, so the calls of fn run one after another."""
LOSES = 4  # both time_threads tests hand it calls that must meet

# %% grade_id: time_threads
import threading
import time


def time_threads(fn, n):
    """Run fn() in n threads at once; return (wall seconds, CPU seconds) of the whole run."""
    if n < 1:
        raise ValueError(f"n must be >= 1 (got {n})")
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(n):
        t = threading.Thread(target=fn)
        t.start()
        t.join()
    return time.perf_counter() - wall0, time.process_time() - cpu0
