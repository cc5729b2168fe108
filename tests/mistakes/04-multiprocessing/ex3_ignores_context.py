"""Ignores the context: processes and queue of the default start method."""
LOSES = 1  # chart_processes_uses_the_context

# %% grade_id: chart_processes
def chart_processes(jobs, context=None, work=mp_work.report_lane):
    """Run work(lanes, f"worker {n}", job) in a new process per job; return the Recorder's timeline."""
    context = multiprocessing
    rec = course.Recorder()
    lanes = context.Queue()
    processes = [context.Process(target=work, args=(lanes, f"worker {n}", job))
                 for n, job in enumerate(jobs)]
    for process in processes:
        process.start()
    rec.add([lanes.get(timeout=60) for _ in processes])
    for process in processes:
        process.join(timeout=60)
    return rec.timeline()
