"""Puts a single None on the queue: one consumer stops, the others wait for work forever."""
LOSES = 3  # every test cell of the exercise

# %% grade_id: run_pipeline
def run_pipeline(items, consumers=2, context=None, work=mp_work.double):
    """Feed items through a Queue to `consumers` processes; return their results, sorted."""
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    context = context if context is not None else multiprocessing.get_context()
    items = list(items)
    tasks, results = context.Queue(), context.Queue()
    workers = [context.Process(target=mp_work.consume, args=(tasks, results, work))
               for _ in range(consumers)]
    for worker in workers:
        worker.start()
    for item in items:
        tasks.put(item)
    tasks.put(None)
    collected = [results.get(timeout=60) for _ in items]
    for worker in workers:
        worker.join(timeout=60)
    return sorted(collected)
