"""Right measurement, but n < 1 is not refused: zero threads run and two tiny times come back."""
LOSES = 2  # the CPU test also checks the error

# %% grade_id: time_threads
import threading
import time


def time_threads(fn, n):
    """Run fn() in n threads at once; return (wall seconds, CPU seconds) of the whole run."""
    threads = [threading.Thread(target=fn) for _ in range(n)]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - wall0, time.process_time() - cpu0
