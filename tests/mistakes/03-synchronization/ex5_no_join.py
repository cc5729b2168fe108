"""Returns without joining the consumers: the results are read while items are still being handled."""
LOSES = 3  # process_all_handles_each_item_once, process_all_edge_cases

# %% grade_id: process_all
def process_all(items, handle, consumers=3):
    """Handle every item once in consumer threads fed by a queue; return the results."""
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    work, results = queue.Queue(), queue.Queue()

    def consume():
        while (item := work.get()) is not None:
            results.put(handle(item))

    threads = [threading.Thread(target=consume) for _ in range(consumers)]
    for thread in threads:
        thread.start()
    for item in items:
        work.put(item)
    for _ in threads:
        work.put(None)
    return [results.get() for _ in range(results.qsize())]
