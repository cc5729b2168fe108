"""Correct: a Condition guards a count of running jobs; a thread waits for the count to drop below the limit."""
LOSES = 0

# %% grade_id: run_limited
def run_limited(jobs, limit, rec):
    """Run the jobs in threads, at most limit at once, each recorded in rec; return results or exceptions."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    changed = threading.Condition()
    running = 0  # jobs in progress; guarded by changed
    results = [None] * len(jobs)

    def run(index, job):
        nonlocal running
        with changed:
            changed.wait_for(lambda: running < limit)
            running += 1
        try:
            with rec.span("wait"):
                results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            with changed:
                running -= 1
                changed.notify()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
