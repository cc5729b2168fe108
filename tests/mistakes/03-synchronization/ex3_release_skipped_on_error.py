"""acquire() and release() without try/finally: a failing job kills its thread and keeps its slot, so the jobs behind it wait forever."""
LOSES = 3  # run_limited_caps_and_overlaps, run_limited_edge_cases (each costs its 5 s bound)

# %% grade_id: run_limited
def run_limited(jobs, limit, rec):
    """Run the jobs in threads, at most limit at once, each recorded in rec; return results or exceptions."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    slots = threading.Semaphore(limit)
    results = [None] * len(jobs)

    def run(index, job):
        slots.acquire()
        with rec.span("wait"):
            results[index] = job()
        slots.release()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
