"""Creates the Semaphore inside each thread: every job gets its own, so nothing is capped, on the tests' timeline or on its own."""
LOSES = 4  # every test of run_limited

# %% grade_id: run_limited
def run_limited(jobs, limit, rec):
    """Run the jobs in threads, at most limit at once, each recorded in rec; return results or exceptions."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    results = [None] * len(jobs)

    def run(index, job):
        with threading.Semaphore(limit):
            try:
                with rec.span("wait"):
                    results[index] = job()
            except Exception as error:
                results[index] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
