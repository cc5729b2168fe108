"""Waits for the queue but never stops the consumers: they are left waiting on an empty queue."""
LOSES = 3  # handle_all_every_item_once, handle_all_edge_cases: consumer tasks still pending

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
    for _ in range(consumers):
        asyncio.create_task(consume())
    await inbox.join()
    return results  # the consumers still wait in inbox.get()
