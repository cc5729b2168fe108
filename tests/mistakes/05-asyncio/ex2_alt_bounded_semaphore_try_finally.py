"""Correct alternative: a BoundedSemaphore taken and released by hand (try/finally), in a TaskGroup."""
LOSES = 0

# %% grade_id: fetch_limited
async def fetch_limited(urls: list, fetch, limit: int) -> list:
    """Fetch every url, at most limit at once; return the pages in url order.

    Raises:
        ValueError: limit < 1.
    """
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    slots = asyncio.BoundedSemaphore(limit)

    async def fetch_one(url):
        await slots.acquire()
        try:
            return await fetch(url)
        finally:
            slots.release()

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(fetch_one(url)) for url in urls]
    print("fetched", len(tasks), "pages")
    return [task.result() for task in tasks]
