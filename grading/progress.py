"""The progress of a grading run on the terminal: submissions done, failed, running, time left.

On a terminal one line is redrawn in place (about once a second and at each submission)::

    grading [##########..........] 20/40 done, 1 not graded, 4 running, about 1:35 left

Elsewhere (a Slurm log, CI) a line is printed per finished submission instead, so the log
reads as a history rather than a smear of carriage returns.
"""

from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

__all__ = ["Progress", "duration"]

BAR_WIDTH = 24


def duration(seconds: float) -> str:
    """Show seconds as "0:42", "3:05" or "1:02:03"."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class Progress:
    """Counts a run's submissions and shows them.

    Args:
        total: submissions to grade in this run.
        stream: where to write (default: stderr).
        live: redraw one line in place (default: when *stream* is a terminal).
        clock: seconds, monotonic (tests pass a fake one).
    """

    def __init__(self, total: int, stream: TextIO | None = None, live: bool | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.stream, self.clock = total, stream or sys.stderr, clock
        self.live = self.stream.isatty() if live is None else live
        self.done = self.failed = self.running = 0
        self.started = clock()
        self._drawn = False

    def start(self) -> None:
        """One more submission is being graded."""
        self.running += 1
        self.tick()

    def finish(self, label: str, graded: bool, seconds: float) -> None:
        """A submission is finished: graded, or not (failed)."""
        self.running = max(0, self.running - 1)
        self.done += 1
        self.failed += not graded
        if self.live:
            self.tick()
        else:
            verdict = "graded" if graded else "NOT GRADED"
            self._write(f"[{self.done}/{self.total}] {label}: {verdict} in {seconds:.1f} s; "
                        f"{self._left()}\n")

    def tick(self) -> None:
        """Redraw the line (live mode only)."""
        if self.live:
            self._write("\r" + self.line() + "\x1b[K")
            self._drawn = True

    def close(self) -> None:
        """End the line so that what follows starts on a fresh one."""
        if self.live and self._drawn:
            self._write("\n")
            self._drawn = False

    def line(self) -> str:
        """The progress bar as text."""
        filled = round(BAR_WIDTH * self.done / self.total) if self.total else BAR_WIDTH
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        failed = f", {self.failed} not graded" if self.failed else ""
        return (f"grading [{bar}] {self.done}/{self.total} done{failed}, "
                f"{self.running} running, {self._left()}")

    def _left(self) -> str:
        """Time left at the rate seen so far (it already counts the workers' overlap)."""
        remaining = self.total - self.done
        if remaining <= 0:
            return f"finished in {duration(self.clock() - self.started)}"
        if self.done == 0:
            return "estimating time left"
        rate = (self.clock() - self.started) / self.done
        return f"about {duration(rate * remaining)} left"

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
