"""Creates the Semaphore inside each thread: every job gets its own, so nothing is capped."""
LOSES = 3  # run_limited_caps_and_overlaps, run_limited_edge_cases

# %% grade_id: run_limited
def run_limited(jobs, limit):
    """Run each job in its own thread, at most limit at once; return results or exceptions."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    results = [None] * len(jobs)

    def run(index, job):
        with threading.Semaphore(limit):
            try:
                results[index] = job()
            except Exception as error:
                results[index] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
