"""Records the span around thread.start() in the calling thread, not around the job in its thread."""
LOSES = 2  # records_a_span_around_each_call, recorded_jobs_overlap

# %% grade_id: record_jobs
def record_jobs(jobs):
    """Call each job in a thread of its own, all at once, each call a "wait" span; return the timeline."""
    rec = course.Recorder()
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        with rec.span("wait"):
            thread.start()
    for thread in threads:
        thread.join()
    return rec.timeline()


def speedup_from(timeline):
    """Return the total duration of the timeline's bars divided by its wall time (0.0 if none)."""
    busy = sum(bar.duration_ns for bar in timeline.segments())
    return busy / timeline.wall_ns if busy else 0.0
