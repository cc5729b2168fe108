"""Correct: a JoinableQueue for the tasks, a while loop for the results, type hints and notes
on stderr."""
LOSES = 0

# %% grade_id: run_pipeline
import sys
import warnings
from typing import Callable, Iterable


def run_pipeline(items: Iterable, consumers: int = 2, context=None,
                 work: Callable = mp_work.double) -> list:
    """Feed items through a Queue to `consumers` processes; return their results, sorted."""
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    context = context if context is not None else multiprocessing.get_context()
    tasks, results = context.JoinableQueue(), context.Queue()
    workers = []
    for _ in range(consumers):
        worker = context.Process(target=mp_work.consume, args=(tasks, results, work))
        worker.start()
        workers.append(worker)
    count = 0
    for item in items:
        tasks.put(item)
        count += 1
    for _ in range(consumers):
        tasks.put(None)
    print(f"{count} items for {consumers} consumers", file=sys.stderr)
    collected = []
    while len(collected) < count:
        collected.append(results.get(timeout=60))
    for worker in workers:
        worker.join(timeout=60)
    warnings.warn("pipeline finished")
    return sorted(collected)
