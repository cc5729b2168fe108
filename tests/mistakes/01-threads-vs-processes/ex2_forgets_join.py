"""Starts a thread per input but returns without joining: the results are not there yet."""
LOSES = 3  # results_in_input_order, one_thread_per_input, first_error_raised_after_all_finished

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

    for i, x in enumerate(inputs):
        threading.Thread(target=call, args=(i, x)).start()
    for error in errors:
        if error is not None:
            raise error
    return results
