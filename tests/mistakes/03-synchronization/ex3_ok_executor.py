"""Correct: a ThreadPoolExecutor of limit threads, using the name a lesson cell imported (no import of its own)."""
LOSES = 0

# %% grade_id: run_limited
def run_limited(jobs, limit, rec):
    """Run the jobs in threads, at most limit at once, each recorded in rec; return results or exceptions."""
    def recorded(job):
        with rec.span("wait"):
            return job()

    with ThreadPoolExecutor(max_workers=limit) as pool:  # raises ValueError when limit < 1
        futures = [pool.submit(recorded, job) for job in jobs]
    return [f.exception() or f.result() for f in futures]
