"""Records the wait for a slot as part of the job: its own timeline shows more than limit jobs at once."""
LOSES = 1  # run_limited_records_its_timeline

# %% grade_id: run_limited
def run_limited(jobs, limit, rec):
    """Run the jobs in threads, at most limit at once, each recorded in rec; return results or exceptions."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    slots = threading.Semaphore(limit)
    results = [None] * len(jobs)

    def run(index, job):
        with rec.span("wait"):
            with slots:
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
