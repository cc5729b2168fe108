"""Correct: a fresh one-thread ThreadPoolExecutor (imported by a lesson cell) for each run, with notes on stderr."""
LOSES = 0

# %% grade_id: run_twice
import sys


def run_twice(job):
    """Run job() in a new thread, then again in another new thread; return both results."""
    results = []
    for run in (1, 2):
        with ThreadPoolExecutor(max_workers=1) as pool:  # a new pool: a new thread
            results.append(pool.submit(job).result())
        print(f"run {run} done", file=sys.stderr)
    return results
