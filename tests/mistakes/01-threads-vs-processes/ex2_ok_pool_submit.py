"""Correct: a ThreadPoolExecutor (imported by a lesson cell) with a thread per input; results read after the with block."""
LOSES = 0

# %% grade_id: run_each_in_thread
def run_each_in_thread(fn, inputs):
    """Return [fn(x) for x in inputs], each call made in a new thread, all running together."""
    with ThreadPoolExecutor(max_workers=max(1, len(inputs))) as pool:
        futures = [pool.submit(fn, x) for x in inputs]
    return [future.result() for future in futures]  # raises the first failing input's error
