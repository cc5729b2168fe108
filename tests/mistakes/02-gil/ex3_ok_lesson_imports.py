"""Correct, relying on ThreadPoolExecutor as a lesson cell imported it, with a recording helper."""
LOSES = 0

# %% grade_id: fetch_all
def recorded(rec, kind, fn, arg):
    """Call fn(arg) inside a span of kind on the calling thread's lane."""
    with rec.span(kind):
        return fn(arg)


def fetch_all(rec, pages, fetch, parse):
    """Fetch and parse every page, each in a thread of its own; return the results in order."""
    def one(page):
        return recorded(rec, "work", parse, recorded(rec, "wait", fetch, page))

    with ThreadPoolExecutor(max_workers=max(1, len(pages))) as pool:
        return list(pool.map(one, pages))
