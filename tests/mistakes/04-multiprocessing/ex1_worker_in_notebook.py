"""Sends a helper defined in the notebook to the pool: spawn workers cannot find it and the map
never finishes (each test cell costs its time bound, and the pool is terminated)."""
LOSES = 3  # every test cell of the exercise

# %% grade_id: parallel_map
def apply_to(pair):
    func, item = pair
    return func(item)


def parallel_map(func, items, workers=2, context=None):
    """Return [func(item) for item in items], computed in a pool of worker processes, in order."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    context = context if context is not None else multiprocessing.get_context()
    with context.Pool(workers) as pool:
        return pool.map(apply_to, [(func, item) for item in items])
