"""Check that a call raises the error its contract names, within a time limit."""

from __future__ import annotations

from typing import Callable

from .._validate import check_seconds
from .bounds import finishes_within

__all__ = ["assert_raises"]


def assert_raises(error: type[BaseException], fn: Callable, *args, what: str, hint: str,
                  timeout: float = 5.0) -> BaseException:
    """Check that ``fn(*args)`` raises *error* within *timeout* seconds.

    Args:
        error: the exception class expected, e.g. ValueError.
        what: the call as a student wrote it, e.g. "deposit(0)".
        hint: what to change when it does not raise.

    Returns:
        The exception raised.

    Raises:
        AssertionError: *fn* returned instead, raised something else, or did not finish.
    """
    check_seconds("timeout", timeout)
    try:
        value = finishes_within(fn, timeout, *args)
    except error as raised:
        return raised
    except AssertionError as stuck:
        raise AssertionError(f"{what} should raise {error.__name__}, but it did not finish:\n"
                             f"{stuck}") from None
    except Exception as other:
        raise AssertionError(f"{what} should raise {error.__name__}, but it raised "
                             f"{type(other).__name__}: {other}\nHint: {hint}") from None
    raise AssertionError(f"{what} should raise {error.__name__}, but it returned {value!r}."
                         f"\nHint: {hint}")
