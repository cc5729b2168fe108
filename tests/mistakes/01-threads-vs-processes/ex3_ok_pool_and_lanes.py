"""Correct: a pool with a thread per job (imported by a lesson cell), each thread taking its own lane."""
LOSES = 0

# %% grade_id: record_jobs
def record_jobs(jobs):
    """Call each job in a thread of its own, all at once, each call a "wait" span; return the timeline."""
    rec = course.Recorder()

    def run(job):
        lane = rec.lane()  # this thread's lane, named after it
        with lane.span("wait"):
            job()
        lane.close()

    with ThreadPoolExecutor(max_workers=max(1, len(jobs))) as pool:
        for job in jobs:
            pool.submit(run, job)
    return rec.timeline()


def speedup_from(timeline):
    """Return the total duration of the timeline's bars divided by its wall time (0.0 if none)."""
    busy = sum(end - start for lane in timeline.lanes for start, end, _ in lane["spans"])
    return busy / timeline.wall_ns if busy else 0.0
