"""Stops at any falsy item (while item := get()): 0 and "" end a consumer early and are never handled."""
LOSES = 3  # process_all_handles_each_item_once (item 0), process_all_edge_cases

# %% grade_id: process_all
def process_all(items, handle, consumers=3):
    """Handle every item once in consumer threads fed by a queue; return the results."""
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    work, results = queue.Queue(), queue.Queue()

    def consume():
        while item := work.get():
            results.put(handle(item))

    threads = [threading.Thread(target=consume) for _ in range(consumers)]
    for thread in threads:
        thread.start()
    for item in items:
        work.put(item)
    for _ in threads:
        work.put(None)
    for thread in threads:
        thread.join()
    return [results.get() for _ in range(results.qsize())]
