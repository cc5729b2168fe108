"""Hard-codes the visible test's expected results: run_limited returns them without running jobs."""
LOSES = 4  # every test of run_limited checks, from recorded timelines, that the jobs ran

# %% grade_id: run_limited
def run_limited(jobs, limit, rec):
    """Run the jobs in threads, at most limit at once, each recorded in rec; return results or exceptions."""
    return [RuntimeError("job failed")] * 3 + list(range(9))
