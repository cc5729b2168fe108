"""The one place that knows multiprocessing's start methods on this platform.

``fork`` copies the parent as it is; ``spawn`` starts a fresh interpreter that imports the
worker's module; ``forkserver`` forks each child from a server process that was started fresh
(3.14's default on Linux). Windows and macOS offer ``spawn`` (and macOS ``fork``, unsafely).
"""

from __future__ import annotations

import multiprocessing

__all__ = ["START_METHODS", "default_start_method", "check_start_method"]

# In multiprocessing's own order of preference on this platform: the first is the default.
START_METHODS = tuple(multiprocessing.get_all_start_methods())


def default_start_method() -> str:
    """The start method multiprocessing will use, found without fixing it.

    ``multiprocessing.get_context().get_start_method()`` would lock the default in, and a
    later ``set_start_method`` would then fail; the first of ``get_all_start_methods()`` is
    documented to be the default.
    """
    return multiprocessing.get_start_method(allow_none=True) or START_METHODS[0]


def check_start_method(name: str, method) -> None:
    """Raise ValueError unless *method* is a start method of this platform (None allowed)."""
    if method is not None and method not in START_METHODS:
        raise ValueError(f"{name} must be one of {', '.join(START_METHODS)} (got {method!r})")
