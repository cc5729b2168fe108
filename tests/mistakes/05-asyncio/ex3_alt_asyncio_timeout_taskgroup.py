"""Correct alternative: async with asyncio.timeout(...) in each task of a TaskGroup."""
LOSES = 0

# %% grade_id: fetch_with_timeouts
async def fetch_with_timeouts(urls, fetch, seconds):
    """Fetch every url at once, each within seconds; return pages, or TimeoutError for late ones."""
    async def fetch_one(url):
        try:
            async with asyncio.timeout(seconds):
                return await fetch(url)
        except TimeoutError as error:
            return error

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(fetch_one(url)) for url in urls]
    return [task.result() for task in tasks]
