"""Records the fetch and the parse as one "wait" span, so the chart cannot tell waiting from computing."""
LOSES = 2  # the recording test checks a wait span, then a work span, on every lane

# %% grade_id: fetch_all
import threading


def fetch_all(rec, pages, fetch, parse):
    """Fetch and parse every page, each in a thread of its own; return the results in order."""
    results = [None] * len(pages)

    def worker(i, page):
        with rec.span("wait"):
            results[i] = parse(fetch(page))

    threads = [threading.Thread(target=worker, args=(i, page)) for i, page in enumerate(pages)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
