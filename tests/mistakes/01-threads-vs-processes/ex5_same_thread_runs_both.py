"""Runs the job twice inside one new thread: one after the other, but never in a second thread."""
LOSES = 1  # runs_in_two_new_threads

# %% grade_id: run_twice
def run_twice(job):
    """Run job() in a new thread, then again in another new thread; return both results."""
    results = []

    def both():
        results.append(job())
        results.append(job())

    thread = threading.Thread(target=both)
    thread.start()
    thread.join()
    return results
