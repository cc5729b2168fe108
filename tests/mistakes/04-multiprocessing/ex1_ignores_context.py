"""Ignores the context it is given: a pool of the default start method, which passes by luck
wherever the default can run the function."""
LOSES = 1  # parallel_map_uses_the_context

# %% grade_id: parallel_map
def parallel_map(func, items, workers=2, context=None):
    """Return [func(item) for item in items], computed in a pool of worker processes, in order."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    with multiprocessing.Pool(workers) as pool:
        return pool.map(func, items)
