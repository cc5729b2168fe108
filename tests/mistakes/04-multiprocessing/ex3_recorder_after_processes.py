"""Creates the Recorder after the processes ran: their spans lie before the chart's start, and
rec.timeline() refuses them."""
LOSES = 3  # every test cell of the exercise

# %% grade_id: chart_processes
def chart_processes(jobs, context=None, work=mp_work.report_lane):
    """Run work(lanes, f"worker {n}", job) in a new process per job; return the Recorder's timeline."""
    context = context if context is not None else multiprocessing.get_context()
    lanes = context.Queue()
    processes = [context.Process(target=work, args=(lanes, f"worker {n}", job))
                 for n, job in enumerate(jobs)]
    for process in processes:
        process.start()
    exports = [lanes.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    rec = course.Recorder()
    rec.add(exports)
    return rec.timeline()
