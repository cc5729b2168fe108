"""Numbers the lanes from 1 ("worker 1", "worker 2", ...), not from 0 as asked."""
LOSES = 2  # chart_one_lane_per_process, chart_processes_uses_the_context

# %% grade_id: chart_processes
def chart_processes(jobs, context=None, work=mp_work.report_lane):
    """Run work(lanes, f"worker {n}", job) in a new process per job; return the Recorder's timeline."""
    context = context if context is not None else multiprocessing.get_context()
    rec = course.Recorder()
    lanes = context.Queue()
    processes = [context.Process(target=work, args=(lanes, f"worker {n + 1}", job))
                 for n, job in enumerate(jobs)]
    for process in processes:
        process.start()
    rec.add([lanes.get(timeout=60) for _ in processes])
    for process in processes:
        process.join(timeout=60)
    return rec.timeline()
