"""Uses a pool of threads (multiprocessing.pool.ThreadPool): the calls run in the notebook's
own process, and the context is never used."""
LOSES = 2  # parallel_map_uses_the_context, parallel_map_spreads_work

# %% grade_id: parallel_map
def parallel_map(func, items, workers=2, context=None):
    """Return [func(item) for item in items], computed in a pool of worker processes, in order."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    from multiprocessing.pool import ThreadPool

    with ThreadPool(workers) as pool:
        return pool.map(func, items)
