"""Calls run() on two fresh threads: both runs happen in the calling thread."""
LOSES = 1  # runs_in_two_new_threads

# %% grade_id: run_twice
def run_twice(job):
    """Run job() in a new thread, then again in another new thread; return both results."""
    results = []
    for _ in range(2):
        thread = threading.Thread(target=lambda: results.append(job()))
        thread.run()
    return results
