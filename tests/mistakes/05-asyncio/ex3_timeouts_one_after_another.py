"""Gives each fetch its time limit, but one fetch after another: two slow pages cost two timeouts."""
LOSES = 1  # timeouts_edge_cases: three slow fetches never wait at the same time

# %% grade_id: fetch_with_timeouts
async def fetch_with_timeouts(urls, fetch, seconds):
    """Fetch every url at once, each within seconds; return pages, or TimeoutError for late ones."""
    results = []
    for url in urls:
        try:
            results.append(await asyncio.wait_for(fetch(url), seconds))
        except TimeoutError as error:
            results.append(error)
    return results
