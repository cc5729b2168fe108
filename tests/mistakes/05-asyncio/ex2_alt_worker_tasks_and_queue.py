"""Correct alternative: limit worker tasks take (index, url) pairs from an asyncio.Queue."""
LOSES = 0

# %% grade_id: fetch_limited
async def fetch_limited(urls, fetch, limit):
    """Fetch every url, at most limit at once; return the pages in url order.

    Raises:
        ValueError: limit < 1.
    """
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    todo = asyncio.Queue()
    for pair in enumerate(urls):
        todo.put_nowait(pair)
    pages = [None] * len(urls)

    async def worker():
        while not todo.empty():
            index, url = todo.get_nowait()
            pages[index] = await fetch(url)

    async with asyncio.TaskGroup() as group:
        for _ in range(min(limit, len(urls))):
            group.create_task(worker())
    return pages
