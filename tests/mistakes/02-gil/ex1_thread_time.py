"""Measures CPU time with time.thread_time, which counts the calling thread only."""
LOSES = 2  # the CPU test computes in the new threads, not in the calling one

# %% grade_id: time_threads
import threading
import time


def time_threads(fn, n):
    """Run fn() in n threads at once; return (wall seconds, CPU seconds) of the whole run."""
    if n < 1:
        raise ValueError(f"n must be >= 1 (got {n})")
    threads = [threading.Thread(target=fn) for _ in range(n)]
    wall0, cpu0 = time.perf_counter(), time.thread_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - wall0, time.thread_time() - cpu0
