"""Uses a default-sized ThreadPoolExecutor: min(32, CPUs + 4) threads, fewer than 40 pages."""
LOSES = 2  # fetches_wait_together (hidden: 40 fetches must all wait at once)

# %% grade_id: fetch_all
def fetch_all(pages, fetch=lesson.fetch_page):
    """Fetch every page with all fetches in progress at once; return {page: content}."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor() as pool:
        return dict(zip(pages, pool.map(fetch, pages)))
