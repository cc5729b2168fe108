"""Catches exceptions in the threads but never raises them: failures come back as None."""
LOSES = 1  # first_error_raised_after_all_finished

# %% grade_id: run_each_in_thread
def run_each_in_thread(fn, inputs):
    """Return [fn(x) for x in inputs], each call made in a new thread, all running together."""
    results = [None] * len(inputs)

    def call(i, x):
        try:
            results[i] = fn(x)
        except Exception:
            pass

    threads = [threading.Thread(target=call, args=(i, x)) for i, x in enumerate(inputs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
