"""Correct: pool.map with a thread per input; an error leaves the with block only after every call ended."""
LOSES = 0

# %% grade_id: run_each_in_thread
from concurrent.futures import ThreadPoolExecutor as Pool


def run_each_in_thread(fn, inputs):
    """Return [fn(x) for x in inputs], each call made in a new thread, all running together."""
    if not inputs:
        return []
    with Pool(max_workers=len(inputs)) as pool:
        return list(pool.map(fn, inputs))
