"""Uses imap_unordered: the results come back as they finish, not in the order of the items."""
LOSES = 3  # parallel_map_keeps_order, parallel_map_spreads_work (the first item finishes last)

# %% grade_id: parallel_map
def parallel_map(func, items, workers=2, context=None):
    """Return [func(item) for item in items], computed in a pool of worker processes, in order."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    ctx = context if context is not None else multiprocessing.get_context()
    with ctx.Pool(workers) as pool:
        return list(pool.imap_unordered(func, items))
