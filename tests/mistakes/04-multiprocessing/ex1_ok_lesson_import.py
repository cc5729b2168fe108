"""Correct: submit and futures, with ProcessPoolExecutor taken from the lesson cell that
imported it (no import of its own)."""
LOSES = 0

# %% grade_id: parallel_map
def parallel_map(func, items, workers=2, context=None):
    """Return [func(item) for item in items], computed in a pool of worker processes, in order."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    context = context if context is not None else multiprocessing.get_context()
    with ProcessPoolExecutor(workers, mp_context=context) as executor:
        futures = [executor.submit(func, item) for item in items]
        return [future.result(timeout=60) for future in futures]
