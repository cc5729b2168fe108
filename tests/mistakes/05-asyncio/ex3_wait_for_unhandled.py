"""Uses wait_for without handling its TimeoutError: the first slow page makes the whole call raise."""
LOSES = 3  # every test: TimeoutError escapes fetch_with_timeouts

# %% grade_id: fetch_with_timeouts
async def fetch_with_timeouts(urls, fetch, seconds):
    """Fetch every url at once, each within seconds; return pages, or TimeoutError for late ones."""
    return await asyncio.gather(*(asyncio.wait_for(fetch(url), seconds) for url in urls))
