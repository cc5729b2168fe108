"""Correct, relying on threading as a lesson cell imported it, with a recording helper function."""
LOSES = 0

# %% grade_id: fetch_all
def recorded(rec, kind, fn, arg):
    """Call fn(arg) inside a span of kind on the calling thread's lane."""
    with rec.span(kind):
        return fn(arg)


def fetch_all(rec, pages, fetch, parse):
    """Fetch and parse every page, each in a thread of its own; return the results in order."""
    results = [None] * len(pages)

    def worker(i, page):
        results[i] = recorded(rec, "work", parse, recorded(rec, "wait", fetch, page))

    threads = [threading.Thread(target=worker, args=(i, page)) for i, page in enumerate(pages)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
