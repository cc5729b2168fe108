"""Messages students read: values shown short, counts in words, one equality check."""

from __future__ import annotations

import reprlib
from typing import Any

__all__ = ["assert_equal"]

MAX_LISTED = 8
_short = reprlib.Repr()
_short.maxstring, _short.maxother, _short.maxlist = 60, 60, 8


def assert_equal(actual: Any, expected: Any, what: str, hint: str | None = None) -> None:
    """Check ``actual == expected``; the message names *what*, both values and a hint.

    Raises:
        AssertionError: "<what>: expected <expected>, got <actual>." plus the hint.
    """
    if not actual == expected:
        message = f"{what}: expected {_short.repr(expected)}, got {_short.repr(actual)}."
        raise AssertionError(message + (f"\nHint: {hint}" if hint else ""))


def short(value: Any) -> str:
    """A repr cut to a readable length."""
    return _short.repr(value)


def names(items) -> str:
    """Up to MAX_LISTED reprs, then how many more."""
    items = list(items)
    shown = ", ".join(repr(n) for n in items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return shown + (f", ... and {more} more" if more > 0 else "")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def jobs(count: int) -> str:
    return plural(count, "job")


def was(count: int) -> str:
    return "was" if count == 1 else "were"
