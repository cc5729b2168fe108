"""Never calls task_done(): queue.join() waits forever for items it thinks are unhandled."""
LOSES = 3  # every test: handle_all does not finish within 5 s

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
            results.append(await handle(item))  # ... and no inbox.task_done()

    for item in items:
        inbox.put_nowait(item)
    workers = [asyncio.create_task(consume()) for _ in range(consumers)]
    await inbox.join()
    for worker in workers:
        worker.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    return results
