"""Divides without checking for an empty timeline: ZeroDivisionError when nothing was recorded."""
LOSES = 1  # speedup_counts_every_bar (hidden: an empty timeline)

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
    for thread in threads:
        thread.join()
    return rec.timeline()


def speedup_from(timeline):
    """Return the total duration of the timeline's bars divided by its wall time (0.0 if none)."""
    return sum(bar.duration_ns for bar in timeline.segments()) / timeline.wall_ns
