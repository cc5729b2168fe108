"""Joins each thread right after starting it, so the pages are fetched one after another."""
LOSES = 4  # both fetch_all tests need every page fetched at once

# %% grade_id: fetch_all
import threading


def fetch_all(rec, pages, fetch, parse):
    """Fetch and parse every page, each in a thread of its own; return the results in order."""
    results = [None] * len(pages)

    def worker(i, page):
        with rec.span("wait"):
            body = fetch(page)
        with rec.span("work"):
            results[i] = parse(body)

    for i, page in enumerate(pages):
        t = threading.Thread(target=worker, args=(i, page))
        t.start()
        t.join()
    return results
