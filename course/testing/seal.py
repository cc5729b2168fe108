"""The tamper seal: notice when a submission replaced what graded tests rely on.

The setup cell takes a :func:`fingerprint`; every test cell calls :func:`verify_fingerprint`,
which fails with "the grading helpers were modified" when time.sleep, threading.Lock, these
testing helpers or the timeline were replaced since.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from collections.abc import Mapping
from typing import Any

from .messages import was

__all__ = ["fingerprint", "verify_fingerprint"]

_WATCHED_STDLIB = (
    "builtins:print", "builtins:len", "builtins:isinstance", "sys:_current_frames",
    "threading:Thread", "threading:Thread.start", "threading:Thread.join",
    "threading:Thread.is_alive", "threading:Lock", "threading:RLock", "threading:Event",
    "threading:Barrier", "threading:Semaphore", "threading:enumerate",
    "threading:current_thread", "time:sleep", "time:perf_counter", "time:perf_counter_ns",
    "time:monotonic", "course.timeline:Timeline", "course.timeline:Timeline.segments",
    "course.timeline:Timeline.from_lanes", "course.timeline:Timeline.max_at_once",
    "course.timeline:Recorder.span", "course.timeline:Recorder.timeline",
)


def _watched() -> tuple[str, ...]:
    """Every public name of course.testing (and the methods tests call) plus the stdlib above."""
    from .. import testing

    names = [f"course.testing:{name}" for name in testing.__all__]
    return _WATCHED_STDLIB + tuple(names) + (
        "course.testing:JobTracker.wrap", "course.testing:JobTracker.timeline")


def fingerprint() -> Mapping[str, Any]:
    """Take note of the objects graded tests rely on (time.sleep, threading.Lock, these checks).

    Returns:
        A read-only mapping from dotted names to the objects; keep it and pass it to
        :func:`verify_fingerprint` in later test cells.
    """
    return types.MappingProxyType({name: _resolve(name) for name in _watched()})


def verify_fingerprint(saved: Mapping[str, Any]) -> None:
    """Check that nothing noted by :func:`fingerprint` has been replaced since.

    Raises:
        AssertionError: "the grading helpers were modified: ..." naming what changed.
        TypeError: *saved* is not what fingerprint() returned.
    """
    if not isinstance(saved, Mapping) or not saved:
        raise TypeError(f"saved must be the mapping fingerprint() returned (got "
                        f"{type(saved).__name__})")
    changed = [name for name, obj in saved.items() if _resolve(name) is not obj]
    if changed:
        shown = ", ".join(name.replace(":", ".") for name in changed)
        raise AssertionError(
            f"the grading helpers were modified: {shown} {was(len(changed))} replaced after "
            "the setup cell ran.\nHint: restart the kernel and run all cells, and do not "
            "reassign functions of time, threading or course.testing in your code.")


_MISSING = object()


def _resolve(name: str) -> Any:
    """Look up "module:attr.path" statically: getattr would make a fresh bound method each time."""
    module_name, _, path = name.partition(":")
    obj: Any = sys.modules.get(module_name) or importlib.import_module(module_name)
    for part in path.split("."):
        obj = inspect.getattr_static(obj, part, _MISSING)
        if obj is _MISSING:
            return _MISSING
    return obj
