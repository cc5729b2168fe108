"""Simulated pages and files for lesson 5's exercises, self-checks and graded tests.

:class:`Site` stands in for a web site: ``await site.fetch(url)`` waits for a reply (an
``asyncio.sleep``), and the site records every fetch on a lane of its own, so a test proves from
the timeline how many fetches were in flight at once, whatever the caller names its tasks.
:class:`Disk` stands in for blocking file reads: ``disk.load(name)`` blocks its thread until a
heartbeat task on the event loop has ticked twice, so a load run on the loop's own thread (where
the heartbeat cannot tick) shows up as zero ticks, deterministically, never as a slow stopwatch.

Neither answers an exercise: they are what the exercises fetch and load.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Callable

from ... import _validate
from ...timeline import Recorder, Timeline

__all__ = ["Site", "Disk", "page_of", "text_of"]

# A reply that never comes: long enough to outlast any test, and cancelled by the caller.
NEVER_S = 3600.0
DEFAULT_DELAY_S = 0.02
TICK_S = 0.005
TICKS_NEEDED = 2
# A load in a worker thread waits at most this long for the heartbeat (a stall of the loop);
# on the heartbeat's own thread no tick can come, so it gives up after a short block.
HOLD_S = 3.0
STALL_S = 0.05


def page_of(url: Any) -> str:
    """The page a :class:`Site` serves for *url* by default."""
    return f"<page {url}>"


def text_of(name: Any) -> str:
    """The text a :class:`Disk` holds for *name* by default."""
    return f"text of {name}"


class Site:
    """A simulated web site: ``await site.fetch(url)`` returns the page after a short wait.

    Args:
        delay: seconds each reply takes: a number, or a function of the url.
        content: the page for a url (default :func:`page_of`).
        never: urls whose reply never comes: the fetch waits until it is cancelled, and its
            ``finally`` notes the url in :attr:`cleaned`.
        fails: urls whose fetch raises ``ConnectionError`` after its wait.

    Attributes:
        calls: the urls fetched, in the order the fetches started.
        cleaned: urls whose fetch was cancelled and cleaned up.
        in_flight: fetches started and not finished; ``peak`` the most at once.
        callers: the tasks that made the fetches (one entry per fetch).
    """

    def __init__(self, delay: float | Callable = DEFAULT_DELAY_S, content: Callable = page_of,
                 never=(), fails=()) -> None:
        if not callable(delay):
            _validate.check_seconds("delay", delay, allow_zero=True)
        _validate.check_callable("content", content)
        self.delay, self.content = delay, content
        self.never, self.fails = set(never), set(fails)
        self.calls: list = []
        self.cleaned: list = []
        self.callers: list = []
        self.in_flight = self.peak = 0
        self._recorder = Recorder(lanes="threads", classify=False)

    async def fetch(self, url: Any) -> str:
        """Wait for the page of *url* and return it (raises ConnectionError for a failing url)."""
        number = len(self.calls)
        self.calls.append(url)
        self.callers.append(asyncio.current_task())
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        lane = self._recorder.lane(f"fetch {number}: {url}")
        try:
            with lane.span("wait"):
                await asyncio.sleep(NEVER_S if url in self.never else self._delay(url))
        except asyncio.CancelledError:
            self.cleaned.append(url)  # where a real client would close its connection
            raise
        finally:
            self.in_flight -= 1
        if url in self.fails:
            raise ConnectionError(f"{url}: connection reset")
        return self.content(url)

    def timeline(self) -> Timeline:
        """Every fetch so far, one lane each ("waiting" while it waited for its reply)."""
        return self._recorder.timeline()

    @property
    def tasks_used(self) -> int:
        """How many different tasks made the fetches."""
        return len({id(task) for task in self.callers if task is not None})

    def _delay(self, url) -> float:
        return self.delay(url) if callable(self.delay) else self.delay


class Disk:
    """Simulated blocking file reads, and a heartbeat task proving the event loop kept running.

    ``disk.load(name)`` is a plain (blocking) function, like ``open(name).read()``: it blocks
    its thread until the heartbeat has ticked :data:`TICKS_NEEDED` times since the load began,
    then returns the text. Run it on the event loop's thread and the heartbeat cannot tick
    while it blocks: it gives up after a short stall, having seen zero ticks.

    Use :meth:`with_heartbeat` to await the caller's coroutine beside the heartbeat; then
    :meth:`ticks_during_loads` says how often the heartbeat ticked while each load blocked
    (counted under the lock the ticks take, so exactly), and :meth:`timeline` draws it.

    Args:
        content: the text of a file (default :func:`text_of`).
        fails: names whose load raises ``FileNotFoundError``.
    """

    def __init__(self, content: Callable = text_of, fails=()) -> None:
        _validate.check_callable("content", content)
        self.content, self.fails = content, set(fails)
        self.calls: list = []
        self.ticks = 0
        self._seen: dict[str, int] = {}
        self._stopped = False
        self._changed = threading.Condition()  # protects ticks, calls, _seen and _stopped
        self._loop_thread: int | None = None
        self._recorder = Recorder(lanes="threads", classify=False)
        self._beats = self._recorder.lane("heartbeat")

    def load(self, name: Any) -> str:
        """Block until the heartbeat has ticked twice (a file read), then return the text."""
        on_loop = threading.get_ident() == self._loop_thread
        with self._changed:
            lane = self._recorder.lane(f"load {len(self.calls)}: {name}")
            self.calls.append(name)
            first = self.ticks
            with lane.span("wait"):
                self._changed.wait_for(
                    lambda: self._stopped or self.ticks >= first + TICKS_NEEDED,
                    STALL_S if on_loop else HOLD_S)
            self._seen[lane.name] = self.ticks - first
        if name in self.fails:
            raise FileNotFoundError(f"no such file: {name!r}")
        return self.content(name)

    async def with_heartbeat(self, awaitable) -> Any:
        """Await *awaitable* while a heartbeat task ticks every few ms; return its result.

        The heartbeat is cancelled and awaited before this returns, whatever happened.
        """
        self._loop_thread = threading.get_ident()
        with self._changed:
            self._stopped = False
        beat = asyncio.create_task(self._heartbeat(), name="heartbeat")
        try:
            return await awaitable
        finally:
            beat.cancel()
            await asyncio.gather(beat, return_exceptions=True)
            with self._changed:  # loads still waiting for a tick stop waiting: none will come
                self._stopped = True
                self._changed.notify_all()

    def timeline(self) -> Timeline:
        """The heartbeat's ticks (running) and each load (waiting), one lane each."""
        return self._recorder.timeline()

    def ticks_during_loads(self) -> dict[str, int]:
        """``{load lane: heartbeat ticks while that load blocked}``, in the order loads began."""
        with self._changed:
            return dict(sorted(self._seen.items(), key=lambda item: int(item[0].split()[1][:-1])))

    async def _heartbeat(self) -> None:
        while True:
            with self._beats.span("work"):
                with self._changed:
                    self.ticks += 1
                    self._changed.notify_all()
            await asyncio.sleep(TICK_S)

