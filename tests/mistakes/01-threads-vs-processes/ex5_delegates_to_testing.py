"""Delegates to the library: testing.finishes_within starts each run's thread instead of the student."""
LOSES = 1  # runs_in_two_new_threads

# %% grade_id: run_twice
def run_twice(job):
    """Run job() in a new thread, then again in another new thread; return both results."""
    return [testing.finishes_within(job, 60), testing.finishes_within(job, 60)]
