"""Correct: a ThreadPoolExecutor of consumers threads maps handle over the items, using the name a lesson cell imported."""
LOSES = 0

# %% grade_id: process_all
def process_all(items, handle, consumers=3):
    """Handle every item once in consumer threads fed by a queue; return the results."""
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    with ThreadPoolExecutor(max_workers=consumers) as pool:
        return list(pool.map(handle, items))
