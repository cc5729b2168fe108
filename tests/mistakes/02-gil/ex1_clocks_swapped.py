"""Reads wall time from process_time and CPU time from perf_counter."""
LOSES = 4  # sleeping takes wall time and no CPU time: both tests sleep

# %% grade_id: time_threads
import threading
import time


def time_threads(fn, n):
    """Run fn() in n threads at once; return (wall seconds, CPU seconds) of the whole run."""
    if n < 1:
        raise ValueError(f"n must be >= 1 (got {n})")
    threads = [threading.Thread(target=fn) for _ in range(n)]
    cpu0, wall0 = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.process_time() - wall0, time.perf_counter() - cpu0
