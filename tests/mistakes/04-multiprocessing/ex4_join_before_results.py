"""Joins the consumers before reading the results: with large results they cannot end, and the
join waits until the call is stopped."""
LOSES = 1  # pipeline_large_results

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
    for _ in workers:
        tasks.put(None)
    for worker in workers:
        worker.join(timeout=60)
    return sorted(results.get(timeout=60) for _ in items)
