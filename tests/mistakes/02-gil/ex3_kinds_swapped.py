"""Records the fetch as "work" and the parse as "wait": the chart then shows the waiting as computing."""
LOSES = 2  # the recording test checks the kind of each span

# %% grade_id: fetch_all
import threading


def fetch_all(rec, pages, fetch, parse):
    """Fetch and parse every page, each in a thread of its own; return the results in order."""
    results = [None] * len(pages)

    def worker(i, page):
        with rec.span("work"):
            body = fetch(page)
        with rec.span("wait"):
            results[i] = parse(body)

    threads = [threading.Thread(target=worker, args=(i, page)) for i, page in enumerate(pages)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
