"""Correct: lanes added one at a time, with type hints and notes on stderr."""
LOSES = 0

# %% grade_id: chart_processes
import logging
import sys


def chart_processes(jobs: list, context=None, work=mp_work.report_lane) -> course.Timeline:
    """Run work(lanes, f"worker {n}", job) in a new process per job; return the Recorder's timeline."""
    if context is None:
        context = multiprocessing.get_context()
    rec = course.Recorder()
    lanes = context.Queue()
    started = []
    for n, job in enumerate(jobs):
        process = context.Process(target=work, args=(lanes, f"worker {n}", job), name=f"job-{n}")
        process.start()
        started.append(process)
        print(f"started {process.name} (pid {process.pid})", file=sys.stderr)
    for _ in started:
        rec.add(lanes.get(timeout=60))
    for process in started:
        process.join(timeout=60)
    logging.getLogger("chart").warning("%d lanes recorded", len(started))
    return rec.timeline()
