"""Cancels the late tasks but returns without awaiting them: they are still pending, uncleaned."""
LOSES = 2  # timeouts_leave_nothing_running, timeouts_edge_cases

# %% grade_id: fetch_with_timeouts
async def fetch_with_timeouts(urls, fetch, seconds):
    """Fetch every url at once, each within seconds; return pages, or TimeoutError for late ones."""
    tasks = [asyncio.create_task(fetch(url)) for url in urls]
    if not tasks:
        return []
    done, pending = await asyncio.wait(tasks, timeout=seconds)
    for task in pending:
        task.cancel()  # asks them to stop... and returns before they have
    return [task.result() if task in done else TimeoutError() for task in tasks]
