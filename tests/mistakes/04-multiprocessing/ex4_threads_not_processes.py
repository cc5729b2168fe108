"""Runs the consumers in threads with queue.Queue: the work happens in the notebook's process."""
LOSES = 1  # pipeline_consumers_share_and_stop

# %% grade_id: run_pipeline
import queue
import threading


def run_pipeline(items, consumers=2, context=None, work=mp_work.double):
    """Feed items through a Queue to `consumers` processes; return their results, sorted."""
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    items = list(items)
    tasks, results = queue.Queue(), queue.Queue()
    workers = [threading.Thread(target=mp_work.consume, args=(tasks, results, work))
               for _ in range(consumers)]
    for worker in workers:
        worker.start()
    for item in items:
        tasks.put(item)
    for _ in workers:
        tasks.put(None)
    collected = [results.get(timeout=60) for _ in items]
    for worker in workers:
        worker.join(timeout=60)
    return sorted(collected)
