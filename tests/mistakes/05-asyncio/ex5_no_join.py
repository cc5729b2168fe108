"""Stops the consumers without waiting for the queue: the items still queued are never handled."""
LOSES = 3  # handle_all_every_item_once, handle_all_edge_cases

# %% grade_id: handle_all
async def handle_all(items, handle, consumers):
    """Handle every item once in consumer tasks fed by an asyncio.Queue; return the results.

    Raises:
        ValueError: consumers < 1.
    """
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    inbox = asyncio.Queue()
    results = []

    async def consume():
        while True:
            item = await inbox.get()
            results.append(await handle(item))
            inbox.task_done()

    for item in items:
        inbox.put_nowait(item)
    workers = [asyncio.create_task(consume()) for _ in range(consumers)]
    await asyncio.sleep(0)          # let them start... and no inbox.join()
    for worker in workers:
        worker.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    return results
