"""Creates the Semaphore inside each task: every fetch gets its own, so nothing is capped."""
LOSES = 3  # fetch_limited_caps_and_reaches, fetch_limited_edge_cases

# %% grade_id: fetch_limited
async def fetch_limited(urls, fetch, limit):
    """Fetch every url, at most limit at once; return the pages in url order.

    Raises:
        ValueError: limit < 1.
    """
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")

    async def fetch_one(url):
        async with asyncio.Semaphore(limit):  # a new semaphore per fetch: never full
            return await fetch(url)

    return await asyncio.gather(*(fetch_one(url) for url in urls))
