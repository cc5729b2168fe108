"""Correct: each thread puts (index, result, error) on a queue.Queue and prints a progress note."""
LOSES = 0

# %% grade_id: run_each_in_thread
import queue


def run_each_in_thread(fn, inputs):
    """Return [fn(x) for x in inputs], each call made in a new thread, all running together."""
    outcomes = queue.Queue()

    def call(i, x):
        try:
            outcomes.put((i, fn(x), None))
        except Exception as error:
            outcomes.put((i, None, error))
        print(f"input {i} done")

    threads = [threading.Thread(target=call, args=(i, x)) for i, x in enumerate(inputs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = sorted((outcomes.get() for _ in inputs), key=lambda item: item[0])
    for _, _, error in done:
        if error is not None:
            raise error
    return [result for _, result, _ in done]
