"""Correct: type hints, each run's result handed back through a queue.Queue."""
LOSES = 0

# %% grade_id: run_twice
import queue
from typing import Any, Callable


def run_twice(job: Callable[[], Any]) -> list[Any]:
    """Run job() in a new thread, then again in another new thread; return both results."""
    results: list[Any] = []
    for _ in range(2):
        answer: queue.Queue = queue.Queue()
        thread = threading.Thread(target=lambda: answer.put(job()))
        thread.start()
        thread.join()
        results.append(answer.get())
    return results
