"""Starts and joins each job's thread in turn: every call recorded, but never two at once."""
LOSES = 1  # recorded_jobs_overlap

# %% grade_id: record_jobs
def record_jobs(jobs):
    """Call each job in a thread of its own, all at once, each call a "wait" span; return the timeline."""
    rec = course.Recorder()

    def run(job):
        with rec.span("wait"):
            job()

    for job in jobs:
        thread = threading.Thread(target=run, args=(job,))
        thread.start()
        thread.join()
    return rec.timeline()


def speedup_from(timeline):
    """Return the total duration of the timeline's bars divided by its wall time (0.0 if none)."""
    busy = sum(bar.duration_ns for bar in timeline.segments())
    return busy / timeline.wall_ns if busy else 0.0
