"""Sends every item as one chunk: one worker process does all the work."""
LOSES = 1  # parallel_map_spreads_work

# %% grade_id: parallel_map
def parallel_map(func, items, workers=2, context=None):
    """Return [func(item) for item in items], computed in a pool of worker processes, in order."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    context = context if context is not None else multiprocessing.get_context()
    items = list(items)
    with context.Pool(workers) as pool:
        return pool.map(func, items, chunksize=max(1, len(items)))
