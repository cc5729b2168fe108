"""Puts a single STOP on the queue: one consumer stops, the others wait for work forever, so the
function returns with consumers still running (each test costs the 5 s join timeout, and the
stuck consumers are ended)."""
LOSES = 3  # all three pipeline tests: each returns with a consumer still running

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
    tasks.put(mp_work.STOP)
    collected = [results.get(timeout=60) for _ in items]
    for worker in workers:
        worker.join(timeout=5)
    return sorted(collected)
