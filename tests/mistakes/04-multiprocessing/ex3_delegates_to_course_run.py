"""Delegates to the library: returns the timeline of course.run's own processes, not of the
processes it was asked to start."""
LOSES = 3  # every test cell of the exercise

# %% grade_id: chart_processes
def chart_processes(jobs, context=None, work=mp_work.report_lane):
    """Run work(lanes, f"worker {n}", job) in a new process per job; return the Recorder's timeline."""
    method = context.get_start_method() if context is not None else None
    return course.run("cpu", workers=len(jobs), backend="processes", start_method=method).timeline
