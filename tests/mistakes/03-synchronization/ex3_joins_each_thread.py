"""Joins each thread right after starting it: the jobs run one at a time and never reach the limit."""
LOSES = 3  # run_limited_caps_and_overlaps, run_limited_edge_cases

# %% grade_id: run_limited
def run_limited(jobs, limit):
    """Run each job in its own thread, at most limit at once; return results or exceptions."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    slots = threading.Semaphore(limit)
    results = [None] * len(jobs)

    def run(index, job):
        with slots:
            try:
                results[index] = job()
            except Exception as error:
                results[index] = error

    for i, job in enumerate(jobs):
        thread = threading.Thread(target=run, args=(i, job))
        thread.start()
        thread.join()
    return results
