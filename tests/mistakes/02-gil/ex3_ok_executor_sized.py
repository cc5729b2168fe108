"""Correct: a ThreadPoolExecutor with one worker per page, futures collected in page order."""
LOSES = 0

# %% grade_id: fetch_all
from concurrent.futures import ThreadPoolExecutor


def fetch_all(rec, pages, fetch, parse):
    """Fetch and parse every page, each in a thread of its own; return the results in order."""
    if not pages:
        return []

    def one(page):
        with rec.span("wait"):
            body = fetch(page)
        with rec.span("work"):
            return parse(body)

    with ThreadPoolExecutor(max_workers=len(pages)) as pool:
        futures = [pool.submit(one, page) for page in pages]
        return [future.result() for future in futures]
