"""The pretend web page lesson 1's exercise 4 downloads: a wait, then some content."""

from __future__ import annotations

import time

__all__ = ["FETCH_SECONDS", "fetch_page"]

FETCH_SECONDS = 0.05


def fetch_page(page: str) -> str:
    """Pretend to download *page*: wait FETCH_SECONDS, then return its "content"."""
    time.sleep(FETCH_SECONDS)  # a download mostly waits for the network
    return f"<html>{page}</html>"
