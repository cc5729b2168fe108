"""Starts one thread per item instead of consumers threads: every item is handled, but not by the consumers asked for."""
LOSES = 1  # process_all_edge_cases

# %% grade_id: process_all
def process_all(items, handle, consumers=3):
    """Handle every item once in consumer threads fed by a queue; return the results."""
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    results = queue.Queue()
    threads = [threading.Thread(target=lambda item=item: results.put(handle(item))) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [results.get() for _ in range(results.qsize())]
