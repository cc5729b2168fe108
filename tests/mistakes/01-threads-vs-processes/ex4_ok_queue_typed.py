"""Correct: typed, threads putting (page, content) on a queue.Queue (imported by a lesson cell)."""
LOSES = 0

# %% grade_id: fetch_all
from typing import Callable


def fetch_all(pages: list[str], fetch: Callable[[str], str] = lesson.fetch_page) -> dict[str, str]:
    """Fetch every page with all fetches in progress at once; return {page: content}."""
    fetched: queue.Queue = queue.Queue()
    threads = [threading.Thread(target=lambda page=page: fetched.put((page, fetch(page))))
               for page in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return dict(fetched.get() for _ in pages)
