"""Waits with time.sleep inside the coroutine: the loop is blocked, so no fetch even starts."""
LOSES = 3  # every test: the fast pages time out too, and the cancelled tasks are left pending

# %% grade_id: fetch_with_timeouts
async def fetch_with_timeouts(urls, fetch, seconds):
    """Fetch every url at once, each within seconds; return pages, or TimeoutError for late ones."""
    tasks = [asyncio.create_task(fetch(url)) for url in urls]
    time.sleep(seconds)  # blocks the event loop: the tasks never get to run
    results = []
    for task in tasks:
        if task.done():
            results.append(task.result())
        else:
            task.cancel()
            results.append(TimeoutError())
    return results
