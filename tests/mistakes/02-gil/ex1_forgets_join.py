"""Starts the threads but never joins them, so both clocks stop before the calls are done."""
LOSES = 4  # the wall must cover the sleeps, the CPU time the computing

# %% grade_id: time_threads
import threading
import time


def time_threads(fn, n):
    """Run fn() in n threads at once; return (wall seconds, CPU seconds) of the whole run."""
    if n < 1:
        raise ValueError(f"n must be >= 1 (got {n})")
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(n):
        threading.Thread(target=fn).start()
    return time.perf_counter() - wall0, time.process_time() - cpu0
