"""Correct: one apply_async per item, results taken in order, with type hints and notes on
stderr (print to sys.stderr, logging, warnings.warn)."""
LOSES = 0

# %% grade_id: parallel_map
import logging
import sys
import warnings
from typing import Any, Callable, Iterable


def parallel_map(func: Callable[[Any], Any], items: Iterable[Any], workers: int = 2,
                 context=None) -> list:
    """Return [func(item) for item in items], computed in a pool of worker processes, in order."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    context = context if context is not None else multiprocessing.get_context()
    print(f"parallel_map: {workers} workers, {context.get_start_method()}", file=sys.stderr)
    logging.getLogger("parallel_map").warning("starting a pool of %d", workers)
    with context.Pool(workers) as pool:
        pending = [pool.apply_async(func, (item,)) for item in items]
        results = [result.get(timeout=60) for result in pending]
    warnings.warn(f"parallel_map made {len(results)} calls")
    print("done")
    return results
