"""Delegates to the library: testing.finishes_within runs each call in a thread, but one call at a time."""
LOSES = 2  # one_thread_per_input, first_error_raised_after_all_finished

# %% grade_id: run_each_in_thread
def run_each_in_thread(fn, inputs):
    """Return [fn(x) for x in inputs], each call made in a new thread, all running together."""
    return [testing.finishes_within(fn, 60, x) for x in inputs]
