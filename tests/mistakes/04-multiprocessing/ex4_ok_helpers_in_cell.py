"""Correct: helpers of its own in the same cell (start, stop), defined before the function."""
LOSES = 0

# %% grade_id: run_pipeline
def start_consumers(context, count, tasks, results, work):
    workers = [context.Process(target=mp_work.consume, args=(tasks, results, work)) for _ in range(count)]
    for worker in workers:
        worker.start()
    return workers


def stop_consumers(tasks, workers):
    for _ in workers:
        tasks.put(None)


def run_pipeline(items, consumers=2, context=None, work=mp_work.double):
    """Feed items through a Queue to `consumers` processes; return their results, sorted."""
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    context = context if context is not None else multiprocessing.get_context()
    items = list(items)
    tasks, results = context.Queue(), context.Queue()
    workers = start_consumers(context, consumers, tasks, results, work)
    for item in items:
        tasks.put(item)
    stop_consumers(tasks, workers)
    collected = sorted(results.get(timeout=60) for _ in items)
    for worker in workers:
        worker.join(timeout=60)
    return collected
