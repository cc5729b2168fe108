"""Correct: a ProcessPoolExecutor started from the context, and executor.map."""
LOSES = 0

# %% grade_id: parallel_map
from concurrent.futures import ProcessPoolExecutor


def parallel_map(func, items, workers=2, context=None):
    """Return [func(item) for item in items], computed in a pool of worker processes, in order."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    context = context if context is not None else multiprocessing.get_context()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
        return list(executor.map(func, items))
