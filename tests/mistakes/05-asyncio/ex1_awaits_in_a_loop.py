"""Awaits each fetch in a loop: the pages come back in order, but one fetch at a time."""
LOSES = 3  # fetch_all_all_at_once, fetch_all_records_each_fetch, fetch_all_edge_cases

# %% grade_id: fetch_all
async def fetch_all(urls, fetch, rec):
    """Fetch every url at once, recording each fetch on rec; return the pages in url order."""
    pages = []
    for url in urls:
        with rec.span("wait"):
            pages.append(await fetch(url))  # waits for this page before asking for the next
    return pages
