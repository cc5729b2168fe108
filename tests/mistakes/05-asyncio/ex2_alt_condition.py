"""Correct alternative: a counter guarded by an asyncio.Condition instead of a Semaphore."""
LOSES = 0

# %% grade_id: fetch_limited
async def fetch_limited(urls, fetch, limit):
    """Fetch every url, at most limit at once; return the pages in url order.

    Raises:
        ValueError: limit < 1.
    """
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    changed = asyncio.Condition()
    in_flight = 0

    async def fetch_one(url):
        nonlocal in_flight
        async with changed:
            await changed.wait_for(lambda: in_flight < limit)
            in_flight += 1
        try:
            return await fetch(url)
        finally:
            async with changed:
                in_flight -= 1
                changed.notify()

    return await asyncio.gather(*(fetch_one(url) for url in urls))
