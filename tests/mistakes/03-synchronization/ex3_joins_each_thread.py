"""Joins each thread right after starting it: the jobs run one at a time and never reach the limit."""
LOSES = 3  # run_limited_caps_and_overlaps, run_limited_edge_cases

# %% grade_id: run_limited
def run_limited(jobs, limit, rec):
    """Run the jobs in threads, at most limit at once, each recorded in rec; return results or exceptions."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    slots = threading.Semaphore(limit)
    results = [None] * len(jobs)

    def run(index, job):
        with slots:
            try:
                with rec.span("wait"):
                    results[index] = job()
            except Exception as error:
                results[index] = error

    for i, job in enumerate(jobs):
        thread = threading.Thread(target=run, args=(i, job))
        thread.start()
        thread.join()
    return results
