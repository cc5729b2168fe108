"""Runs the jobs in threads with a queue.Queue: every lane comes from the notebook's process."""
LOSES = 2  # chart_one_lane_per_process, chart_processes_uses_the_context

# %% grade_id: chart_processes
import queue
import threading


def chart_processes(jobs, context=None, work=mp_work.report_lane):
    """Run work(lanes, f"worker {n}", job) in a new process per job; return the Recorder's timeline."""
    rec = course.Recorder()
    lanes = queue.Queue()
    threads = [threading.Thread(target=work, args=(lanes, f"worker {n}", job))
               for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    rec.add([lanes.get(timeout=60) for _ in threads])
    for thread in threads:
        thread.join(timeout=60)
    return rec.timeline()
