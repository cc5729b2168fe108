"""Correct, relying on threading and time as a lesson cell imported them, with a helper function."""
LOSES = 0

# %% grade_id: time_threads
def run_together(threads):
    """Start every thread, then join every thread."""
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def time_threads(fn, n):
    """Run fn() in n threads at once; return (wall seconds, CPU seconds) of the whole run."""
    if n < 1:
        raise ValueError(f"n must be >= 1 (got {n})")
    threads = [threading.Thread(target=fn) for _ in range(n)]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    run_together(threads)
    return time.perf_counter() - wall0, time.process_time() - cpu0
