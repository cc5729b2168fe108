"""Waits for every thread, but raises the exception that happened first, not the first input's."""
LOSES = 1  # first_error_raised_after_all_finished (hidden: inputs fail in the order 3, 1, 4)

# %% grade_id: run_each_in_thread
def run_each_in_thread(fn, inputs):
    """Return [fn(x) for x in inputs], each call made in a new thread, all running together."""
    results = [None] * len(inputs)
    errors = []

    def call(i, x):
        try:
            results[i] = fn(x)
        except Exception as error:
            errors.append(error)  # in the order they happen

    threads = [threading.Thread(target=call, args=(i, x)) for i, x in enumerate(inputs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
