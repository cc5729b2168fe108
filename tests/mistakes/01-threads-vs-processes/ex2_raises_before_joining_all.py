"""Joins in input order and raises the first error it meets at once, while later threads still run."""
LOSES = 1  # first_error_raised_after_all_finished (hidden: later calls had not finished)

# %% grade_id: run_each_in_thread
def run_each_in_thread(fn, inputs):
    """Return [fn(x) for x in inputs], each call made in a new thread, all running together."""
    results = [None] * len(inputs)
    errors = [None] * len(inputs)

    def call(i, x):
        try:
            results[i] = fn(x)
        except Exception as error:
            errors[i] = error

    threads = [threading.Thread(target=call, args=(i, x)) for i, x in enumerate(inputs)]
    for thread in threads:
        thread.start()
    for i, thread in enumerate(threads):
        thread.join()
        if errors[i] is not None:
            raise errors[i]
    return results
