"""Correct alternative: create_task per url, with type hints, prints and logging to stderr."""
LOSES = 0

# %% grade_id: fetch_all
import logging
import sys
from typing import Any, Awaitable, Callable

log = logging.getLogger("fetch_all")
log.addHandler(logging.StreamHandler(sys.stderr))
log.setLevel(logging.INFO)


async def fetch_all(urls: list, fetch: Callable[[Any], Awaitable[str]], rec: course.Recorder) -> list[str]:
    """Fetch every url at once, recording each fetch on rec; return the pages in url order."""
    async def fetch_one(url: Any) -> str:
        with rec.span("wait"):
            page = await fetch(url)
        log.info("fetched %s", url)
        return page

    tasks = [asyncio.create_task(fetch_one(url)) for url in urls]
    print(f"started {len(tasks)} fetches")
    return [await task for task in tasks]
