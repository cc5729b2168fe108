"""Delegates the recording to the library's JobTracker instead of recording on rec."""
LOSES = 2  # the recording test reads rec, which stays empty

# %% grade_id: fetch_all
import threading


def fetch_all(rec, pages, fetch, parse):
    """Fetch and parse every page, each in a thread of its own; return the results in order."""
    tracker = testing.JobTracker()
    fetch, parse = tracker.wrap(fetch, kind="waiting"), tracker.wrap(parse, kind="running")
    results = [None] * len(pages)

    def worker(i, page):
        results[i] = parse(fetch(page))

    threads = [threading.Thread(target=worker, args=(i, page)) for i, page in enumerate(pages)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
