"""Starts the same Thread twice: the second start() raises RuntimeError."""
LOSES = 3  # runs_in_two_new_threads, returns_both_results, second_run_after_first

# %% grade_id: run_twice
def run_twice(job):
    """Run job() in a new thread, then again in another new thread; return both results."""
    results = []
    thread = threading.Thread(target=lambda: results.append(job()))
    thread.start()
    thread.join()
    thread.start()
    thread.join()
    return results
