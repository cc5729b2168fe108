"""Correct: a helper of the student's own, in a cell of its own above, starts and joins the threads."""
LOSES = 0

# %% new cell after grade_id: print_numbers_and_letters
def start_then_join(threads):
    """Start every thread, then join every thread."""
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

# %% grade_id: run_each_in_thread
def run_each_in_thread(fn, inputs):
    """Return [fn(x) for x in inputs], each call made in a new thread, all running together."""
    outcomes = [None] * len(inputs)

    def call(i, x):
        try:
            outcomes[i] = (fn(x), None)
        except Exception as error:
            outcomes[i] = (None, error)

    start_then_join([threading.Thread(target=call, args=(i, x)) for i, x in enumerate(inputs)])
    for _, error in outcomes:
        if error is not None:
            raise error
    return [result for result, _ in outcomes]
