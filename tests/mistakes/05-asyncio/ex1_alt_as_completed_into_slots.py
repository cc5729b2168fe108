"""Correct alternative: asyncio.as_completed, each page put into its url's slot as it arrives."""
LOSES = 0

# %% grade_id: fetch_all
async def fetch_all(urls, fetch, rec):
    """Fetch every url at once, recording each fetch on rec; return the pages in url order."""
    async def fetch_one(index, url):
        with rec.span("wait"):
            return index, await fetch(url)

    pages = [None] * len(urls)
    for next_done in asyncio.as_completed([fetch_one(i, url) for i, url in enumerate(urls)]):
        index, page = await next_done
        pages[index] = page
    return pages
