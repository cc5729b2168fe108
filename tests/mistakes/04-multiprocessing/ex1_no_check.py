"""Does not check workers: Pool(0) raises its own ValueError, with another message."""
LOSES = 1  # parallel_map_spreads_work

# %% grade_id: parallel_map
def parallel_map(func, items, workers=2, context=None):
    """Return [func(item) for item in items], computed in a pool of worker processes, in order."""
    context = context if context is not None else multiprocessing.get_context()
    with context.Pool(workers) as pool:
        return pool.map(func, items)
