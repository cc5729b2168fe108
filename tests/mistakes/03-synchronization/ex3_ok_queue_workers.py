"""Correct: limit worker threads take (index, job) pairs from a queue.Queue until they get None."""
LOSES = 0

# %% grade_id: run_limited
def run_limited(jobs, limit, rec):
    """Run the jobs in threads, at most limit at once, each recorded in rec; return results or exceptions."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    work = queue.Queue()
    results = [None] * len(jobs)

    def worker():
        while (task := work.get()) is not None:
            index, job = task
            try:
                with rec.span("wait"):
                    results[index] = job()
            except Exception as error:
                results[index] = error

    workers = [threading.Thread(target=worker) for _ in range(limit)]
    for thread in workers:
        thread.start()
    for task in enumerate(jobs):
        work.put(task)
    for _ in workers:
        work.put(None)
    for thread in workers:
        thread.join()
    return results
