"""Correct alternative: a TaskGroup of tasks, results read from the tasks in url order."""
LOSES = 0

# %% grade_id: fetch_all
async def fetch_all(urls, fetch, rec):
    """Fetch every url at once, recording each fetch on rec; return the pages in url order."""
    async def fetch_one(url):
        with rec.span("wait"):
            return await fetch(url)

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(fetch_one(url), name=f"fetch {n}") for n, url in enumerate(urls)]
    return [task.result() for task in tasks]
