"""Which start method the lesson's processes use: the platform's, or the one a course asks for.

Setting the environment variable ``COURSE_START_METHOD`` (fork, spawn or forkserver) before the
kernel starts lets a grader run the whole lesson under another start method, e.g. spawn on
Linux. Nothing happens on import: the lesson's setup cell calls :func:`use_start_method`.
"""

from __future__ import annotations

import multiprocessing
import os

from ...start_methods import check_start_method, default_start_method

__all__ = ["START_METHOD_ENV", "start_method_from_env", "use_start_method"]

START_METHOD_ENV = "COURSE_START_METHOD"


def start_method_from_env() -> str | None:
    """The start method ``COURSE_START_METHOD`` asks for, or None when it is unset or blank.

    Raises:
        ValueError: the variable names a method this platform does not have.
    """
    method = os.environ.get(START_METHOD_ENV, "").strip()
    if not method:
        return None
    check_start_method(START_METHOD_ENV, method)
    return method


def use_start_method() -> str:
    """Make the method ``COURSE_START_METHOD`` names this process's default; return the default.

    Without the variable nothing changes and the platform's default is returned.

    Raises:
        ValueError: the variable names a method this platform does not have.
    """
    method = start_method_from_env()
    if method is not None and multiprocessing.get_start_method(allow_none=True) != method:
        multiprocessing.set_start_method(method, force=True)
    return default_start_method()
