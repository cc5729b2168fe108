"""Correct: the bars' total computed by a helper in a cell of its own, after the solution cell."""
LOSES = 0

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
    busy = total_ns(timeline)
    return busy / timeline.wall_ns if busy else 0.0

# %% new cell after grade_id: record_jobs
def total_ns(timeline):
    """The durations of every bar of the timeline, added up, in nanoseconds."""
    return sum(bar.duration_ns for bar in timeline.segments())


print("helper ready:", total_ns(course.Timeline.from_segments([("a", 0, 1)])) == 1_000_000_000)
