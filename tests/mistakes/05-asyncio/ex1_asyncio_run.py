"""Calls asyncio.run() as a script would: the notebook's loop is already running, so it raises."""
LOSES = 4  # every test: RuntimeError, asyncio.run() cannot be called from a running event loop

# %% grade_id: fetch_all
def fetch_all(urls, fetch, rec):
    """Fetch every url at once, recording each fetch on rec; return the pages in url order."""
    async def fetch_one(url):
        with rec.span("wait"):
            return await fetch(url)

    async def main():
        return await asyncio.gather(*(fetch_one(url) for url in urls))

    return asyncio.run(main())
