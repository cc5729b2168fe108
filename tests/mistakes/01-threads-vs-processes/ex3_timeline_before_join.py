"""Takes rec.timeline() before joining the threads: the snapshot holds no finished span."""
LOSES = 2  # records_a_span_around_each_call, recorded_jobs_overlap

# %% grade_id: record_jobs
def record_jobs(jobs):
    """Call each job in a thread of its own, all at once, each call a "wait" span; return the timeline."""
    rec = course.Recorder()

    def run(job):
        with rec.span("wait"):
            job()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    timeline = rec.timeline()
    for thread in threads:
        thread.join()
    return timeline


def speedup_from(timeline):
    """Return the total duration of the timeline's bars divided by its wall time (0.0 if none)."""
    busy = sum(bar.duration_ns for bar in timeline.segments())
    return busy / timeline.wall_ns if busy else 0.0
