"""Ends each consumer with None as the sentinel: an item that is None stops a consumer early."""
LOSES = 1  # handle_all_edge_cases: items [None, 1, None, 2, 2]

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
        while (item := await inbox.get()) is not None:
            results.append(await handle(item))

    for item in items:
        inbox.put_nowait(item)
    for _ in range(consumers):
        inbox.put_nowait(None)
    await asyncio.gather(*(consume() for _ in range(consumers)))
    return results
