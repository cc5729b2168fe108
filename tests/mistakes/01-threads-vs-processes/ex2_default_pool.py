"""Uses a default-sized ThreadPoolExecutor: min(32, CPUs + 4) threads, fewer than 40 inputs."""
LOSES = 1  # one_thread_per_input (hidden: 40 inputs must all run at once)

# %% grade_id: run_each_in_thread
def run_each_in_thread(fn, inputs):
    """Return [fn(x) for x in inputs], each call made in a new thread, all running together."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor() as pool:
        return list(pool.map(fn, inputs))
