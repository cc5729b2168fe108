"""Joins the consumers before reading the results: a consumer cannot end while its results wait
in a full pipe, so large results deadlock (the test costs its time bound)."""
LOSES = 1  # pipeline_large_results

# %% grade_id: run_pipeline
def run_pipeline(items, consumers=2, context=None, work=mp_work.double):
    """Feed items through a Queue to `consumers` processes; return their results, sorted."""
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    ctx = context if context is not None else multiprocessing.get_context()
    items = list(items)
    tasks, results = ctx.Queue(), ctx.Queue()
    workers = [ctx.Process(target=mp_work.consume, args=(tasks, results, work))
               for _ in range(consumers)]
    for worker in workers:
        worker.start()
    for item in items:
        tasks.put(item)
    for _ in workers:
        tasks.put(mp_work.STOP)
    for worker in workers:
        worker.join()
    return sorted(results.get(timeout=60) for _ in items)
