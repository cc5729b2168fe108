"""Forgets to await: returns the coroutines fetch() made, none of which ever runs."""
LOSES = 4  # every test: no page is fetched

# %% grade_id: fetch_all
async def fetch_all(urls, fetch, rec):
    """Fetch every url at once, recording each fetch on rec; return the pages in url order."""
    with rec.span("wait"):
        return [fetch(url) for url in urls]  # coroutine objects, never awaited
