"""Correct, with results in a dict keyed by page index, type hints, and notes on stderr from
every thread."""
LOSES = 0

# %% grade_id: fetch_all
import logging
import sys
import threading
from typing import Any, Callable


def fetch_all(rec, pages: list, fetch: Callable[[Any], Any], parse: Callable[[Any], Any]) -> list:
    """Fetch and parse every page, each in a thread of its own; return the results in order."""
    results: dict[int, Any] = {}

    def worker(i: int, page) -> None:
        print(f"fetching {page!r}", file=sys.stderr)
        with rec.span("wait"):
            body = fetch(page)
        with rec.span("work"):
            results[i] = parse(body)
        logging.getLogger("fetch_all").warning("parsed %r", page)

    threads = [threading.Thread(target=worker, args=(i, page), name=f"page {i}")
               for i, page in enumerate(pages)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [results[i] for i in range(len(pages))]
