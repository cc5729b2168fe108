"""Correct: type hints, the producer in a thread of its own, and a printed line per consumer."""
LOSES = 0

# %% grade_id: process_all
from typing import Any, Callable


def process_all(items: list, handle: Callable[[Any], Any], consumers: int = 3) -> list:
    """Handle every item once in consumer threads fed by a queue; return the results."""
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    work: queue.Queue = queue.Queue()
    results: queue.Queue = queue.Queue()

    def produce() -> None:
        for item in items:
            work.put(item)
        for _ in range(consumers):
            work.put(None)

    def consume() -> None:
        handled = 0
        while (item := work.get()) is not None:
            results.put(handle(item))
            handled += 1
        print(f"{threading.current_thread().name} handled {handled} item(s)")

    threads = [threading.Thread(target=produce)]
    threads += [threading.Thread(target=consume) for _ in range(consumers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [results.get() for _ in range(results.qsize())]
