"""One module-level Semaphore for every call: a second call running at the same time shares it."""
LOSES = 1  # fetch_limited_edge_cases: two calls at once, with limits 2 and 3

# %% grade_id: fetch_limited
_slots = {}


async def fetch_limited(urls, fetch, limit):
    """Fetch every url, at most limit at once; return the pages in url order.

    Raises:
        ValueError: limit < 1.
    """
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    slots = _slots.setdefault("shared", asyncio.Semaphore(limit))  # made once, by the first call

    async def fetch_one(url):
        async with slots:
            return await fetch(url)

    return await asyncio.gather(*(fetch_one(url) for url in urls))
