"""Waits for a free slot by spinning on a counter: it never awaits, so no fetch can finish."""
LOSES = 3  # fetch_limited_caps_and_reaches, fetch_limited_edge_cases: the loop is held

# %% grade_id: fetch_limited
async def fetch_limited(urls, fetch, limit):
    """Fetch every url, at most limit at once; return the pages in url order.

    Raises:
        ValueError: limit < 1.
    """
    if limit < 1:
        raise ValueError(f"limit must be >= 1 (got {limit})")
    in_flight = 0

    async def fetch_one(url):
        nonlocal in_flight
        while in_flight >= limit:
            pass  # checks again and again, and never lets the loop run a fetch to its end
        in_flight += 1
        try:
            return await fetch(url)
        finally:
            in_flight -= 1

    return await asyncio.gather(*(fetch_one(url) for url in urls))
