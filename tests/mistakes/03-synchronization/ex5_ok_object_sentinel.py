"""Correct: a private object() sentinel compared with `is`, results gathered in a list under a lock."""
LOSES = 0

# %% grade_id: process_all
def process_all(items, handle, consumers=3):
    """Handle every item once in consumer threads fed by a queue; return the results."""
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    stop = object()  # fine between threads; it would not survive pickling to another process
    work, results, guard = queue.Queue(), [], threading.Lock()

    def consume():
        while (item := work.get()) is not stop:
            value = handle(item)
            with guard:
                results.append(value)

    threads = [threading.Thread(target=consume) for _ in range(consumers)]
    for thread in threads:
        thread.start()
    for item in items:
        work.put(item)
    for _ in threads:
        work.put(stop)
    for thread in threads:
        thread.join()
    return results
