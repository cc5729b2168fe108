"""Appends results as threads finish, so they come back in completion order, and drops errors."""
LOSES = 2  # results_in_input_order, first_error_raised_after_all_finished

# %% grade_id: run_each_in_thread
def run_each_in_thread(fn, inputs):
    """Return [fn(x) for x in inputs], each call made in a new thread, all running together."""
    results = []
    threads = [threading.Thread(target=lambda x=x: results.append(fn(x))) for x in inputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
