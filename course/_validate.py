"""Argument checks at the door: one rule each, one message style for the whole library.

Messages are lowercase, state the rule and show the bad value ("workers must be >= 1 (got 0)"),
so bad input fails where it enters, never deep inside matplotlib or a thread.
"""

from __future__ import annotations

import math
from typing import Any


def check_callable(name: str, value: Any) -> None:
    """Raise TypeError unless *value* is callable."""
    if not callable(value):
        raise TypeError(f"{name} must be callable (got {type(value).__name__})")


def check_number(name: str, value: Any) -> None:
    """Raise TypeError unless *value* is an int or a float (bools are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number (got {type(value).__name__})")


def check_seconds(name: str, value: Any, *, allow_zero: bool = False) -> None:
    """Raise unless *value* is a finite number of seconds > 0 (>= 0 with *allow_zero*)."""
    check_number(name, value)
    if not (value >= 0 if allow_zero else value > 0):
        raise ValueError(f"{name} must be {'>=' if allow_zero else '>'} 0 (got {value!r})")
    if math.isinf(value):
        raise ValueError(f"{name} must be finite: every wait is bounded (got {value!r})")


def check_non_negative(name: str, value: Any) -> None:
    """Raise unless *value* is a finite number >= 0."""
    check_number(name, value)
    if not value >= 0 or math.isinf(value):
        raise ValueError(f"{name} must be >= 0 and finite (got {value!r})")


def check_int(name: str, value: Any, least: int | None = None, most: int | None = None) -> None:
    """Raise TypeError unless *value* is an int, ValueError unless least <= value <= most."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int (got {type(value).__name__})")
    if least is not None and most is not None and not least <= value <= most:
        raise ValueError(f"{name} must be between {least} and {most} (got {value})")
    if least is not None and value < least:
        raise ValueError(f"{name} must be >= {least} (got {value})")
    if most is not None and value > most:
        raise ValueError(f"{name} must be <= {most} (got {value})")


def check_choice(name: str, value: Any, choices) -> None:
    """Raise ValueError unless *value* is one of *choices*."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(str, choices))} (got {value!r})")


def name_of(fn: Any) -> str:
    """A function's qualified name, for messages and thread names."""
    return getattr(fn, "__qualname__", None) or type(fn).__name__
