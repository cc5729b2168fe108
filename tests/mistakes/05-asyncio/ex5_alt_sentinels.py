"""Correct alternative: one object() sentinel per consumer, and gather the consumers to the end."""
LOSES = 0

# %% grade_id: handle_all
async def handle_all(items, handle, consumers):
    """Handle every item once in consumer tasks fed by an asyncio.Queue; return the results.

    Raises:
        ValueError: consumers < 1.
    """
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    done = object()
    inbox = asyncio.Queue()

    async def consume():
        mine = []
        while (item := await inbox.get()) is not done:
            mine.append(await handle(item))
        return mine

    workers = [asyncio.create_task(consume()) for _ in range(consumers)]
    for item in items:
        await inbox.put(item)
    for _ in workers:
        await inbox.put(done)
    return [result for mine in await asyncio.gather(*workers) for result in mine]
