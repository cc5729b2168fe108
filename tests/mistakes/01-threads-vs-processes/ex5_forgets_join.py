"""Starts both runs' threads and returns at once: no run has finished, and they overlap."""
LOSES = 3  # runs_in_two_new_threads, returns_both_results, second_run_after_first

# %% grade_id: run_twice
def run_twice(job):
    """Run job() in a new thread, then again in another new thread; return both results."""
    results = []
    for _ in range(2):
        threading.Thread(target=lambda: results.append(job())).start()
    return results
