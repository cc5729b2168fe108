"""Returns results in the order they finish (imap_unordered), not in the order of the items."""
LOSES = 1  # parallel_map_keeps_order

# %% grade_id: parallel_map
def parallel_map(func, items, workers=2, context=None):
    """Return [func(item) for item in items], computed in a pool of worker processes, in order."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    context = context if context is not None else multiprocessing.get_context()
    with context.Pool(workers) as pool:
        return list(pool.imap_unordered(func, items))
