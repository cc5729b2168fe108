"""Correct: pool.map on a pool with a thread per page, zipped into a dict."""
LOSES = 0

# %% grade_id: fetch_all
from concurrent.futures import ThreadPoolExecutor


def fetch_all(pages, fetch=lesson.fetch_page):
    """Fetch every page with all fetches in progress at once; return {page: content}."""
    with ThreadPoolExecutor(max_workers=max(1, len(pages))) as pool:
        return dict(zip(pages, pool.map(fetch, pages)))
