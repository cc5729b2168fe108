"""Joins each process before starting the next: the processes never run at the same time
(the barrier test waits in vain, and the call is stopped at its bound)."""
LOSES = 1  # chart_processes_run_together

# %% grade_id: chart_processes
def chart_processes(jobs, context=None, work=mp_work.report_lane):
    """Run work(lanes, f"worker {n}", job) in a new process per job; return the Recorder's timeline."""
    context = context if context is not None else multiprocessing.get_context()
    rec = course.Recorder()
    lanes = context.Queue()
    processes = [context.Process(target=work, args=(lanes, f"worker {n}", job))
                 for n, job in enumerate(jobs)]
    for process in processes:
        process.start()
        process.join(timeout=60)
    rec.add([lanes.get(timeout=60) for _ in processes])
    return rec.timeline()
