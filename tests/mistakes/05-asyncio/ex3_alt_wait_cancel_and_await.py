"""Correct alternative: asyncio.wait with a timeout, then cancel the late tasks AND await them."""
LOSES = 0

# %% grade_id: fetch_with_timeouts
async def fetch_with_timeouts(urls, fetch, seconds):
    """Fetch every url at once, each within seconds; return pages, or TimeoutError for late ones."""
    tasks = [asyncio.create_task(fetch(url)) for url in urls]
    if not tasks:
        return []
    done, pending = await asyncio.wait(tasks, timeout=seconds)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)  # until they have stopped
    return [task.result() if task in done else TimeoutError(f"no reply within {seconds} s")
            for task in tasks]
