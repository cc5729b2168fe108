"""Correct, with type hints and notes written to stderr (print, logging, warnings) as it runs."""
LOSES = 0

# %% grade_id: time_threads
import logging
import sys
import threading
import time
import warnings
from typing import Callable


def time_threads(fn: Callable[[], object], n: int) -> tuple[float, float]:
    """Run fn() in n threads at once; return (wall seconds, CPU seconds) of the whole run."""
    if n < 1:
        warnings.warn(f"time_threads called with n={n}")
        raise ValueError(f"n must be >= 1 (got {n})")
    threads = [threading.Thread(target=fn, name=f"timed {i}") for i in range(n)]
    print(f"starting {n} threads", file=sys.stderr)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    logging.getLogger("time_threads").warning("wall %.3f s, cpu %.3f s", wall, cpu)
    print(f"done: wall {wall:.3f} s")
    return wall, cpu
