"""Correct alternative: consumers in a TaskGroup stop when an Event says the queue is drained."""
LOSES = 0

# %% grade_id: handle_all
async def handle_all(items, handle, consumers):
    """Handle every item once in consumer tasks fed by an asyncio.Queue; return the results.

    Raises:
        ValueError: consumers < 1.
    """
    if consumers < 1:
        raise ValueError(f"consumers must be >= 1 (got {consumers})")
    inbox, drained = asyncio.Queue(), asyncio.Event()
    results = []

    async def consume():
        while not drained.is_set():
            getting = asyncio.ensure_future(inbox.get())
            stopping = asyncio.ensure_future(drained.wait())
            await asyncio.wait({getting, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not getting.done():
                getting.cancel()
                await asyncio.gather(getting, stopping, return_exceptions=True)
                break
            await asyncio.gather(stopping, return_exceptions=True)
            results.append(await handle(getting.result()))
            inbox.task_done()

    async def watch():
        await inbox.join()
        drained.set()

    for item in items:
        inbox.put_nowait(item)
    async with asyncio.TaskGroup() as group:
        for _ in range(consumers):
            group.create_task(consume())
        group.create_task(watch())
    return results
