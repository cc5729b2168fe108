"""Correct: a BoundedSemaphore, acquire() and release() in try/finally, results stored by index."""
LOSES = 0

# %% grade_id: run_limited
def run_limited(jobs, limit, rec):
    """Run the jobs in threads, at most limit at once, each recorded in rec; return results or exceptions."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    slots = threading.BoundedSemaphore(limit)
    results = [None] * len(jobs)

    def run(index, job):
        slots.acquire()
        try:
            with rec.span("wait"):
                results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            slots.release()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
