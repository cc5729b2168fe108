"""Jobs whose calls overlap, finish or fail in an order fixed by events and barriers.

A graded test hands one of these to the student's code in place of a real job, so what it
checks (the calls overlapped, results kept input order, the first input's error came after
every call) holds on every run, on any number of cores and under load. Every wait is
bounded: code that calls the job the wrong way gets slower, never stuck.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Hashable, Sequence

from .._validate import check_callable, check_int, check_non_negative, check_seconds

__all__ = ["meeting", "finishing_in_reverse", "failing_in_order"]


def _times_ten(x):
    return 10 * x


def meeting(n: int, then: Callable = _times_ten, timeout: float = 2.0,
            hold: float = 0.0) -> Callable:
    """A job of one argument whose calls wait until *n* of them are in progress at once.

    Calls made together meet at a barrier and return ``then(x)``: they overlapped for certain.
    Calls made fewer than *n* at a time wait *timeout* seconds; then the meeting is off (the
    barrier breaks) and every call, that one and all later ones, goes on at once.

    Args:
        n: how many calls must be in progress together (1..1024).
        then: what a call returns, given its argument.
        timeout: seconds a call waits for the others (> 0).
        hold: seconds each call lasts after the meeting (>= 0): code that reads what the calls
            did before waiting for them finds them still running, unless it is stalled that long.

    Raises:
        TypeError, ValueError: bad arguments.
    """
    check_int("n", n, 1, 1024)
    check_callable("then", then)
    check_seconds("timeout", timeout)
    check_non_negative("hold", hold)
    barrier = threading.Barrier(n)

    def job(x):
        try:
            barrier.wait(timeout)
        except threading.BrokenBarrierError:
            pass  # fewer than n came together: the timeline shows it; the code must not crash
        if hold:
            threading.Event().wait(hold)  # an event nobody sets: a patched sleep cannot shorten it
        return then(x)
    return job


def finishing_in_reverse(inputs: Sequence[Hashable], wait: float = 0.5,
                         then: Callable = _times_ten, hold: float = 0.0) -> Callable:
    """A job of one argument whose calls, made together, finish in the reverse order of *inputs*.

    The call for the last input first waits *hold* seconds; the call for ``inputs[i]`` waits
    (at most *wait* seconds) until the call for ``inputs[i + 1]`` has returned. Each then
    returns ``then(x)``. Made all at once, the last input's call finishes first; made one after
    another, each call waits its *wait* out. With a *hold*, code that reads the results before
    waiting for the calls finds none of them, unless it is stalled that long.

    Raises:
        TypeError, ValueError: bad arguments, or repeated inputs.
    """
    check_seconds("wait", wait)
    check_callable("then", then)
    check_non_negative("hold", hold)
    inputs = list(inputs)
    if len(set(inputs)) != len(inputs):
        raise ValueError(f"inputs must be distinct (got {inputs!r})")
    done = {x: threading.Event() for x in inputs}
    after = dict(zip(inputs, inputs[1:]))

    def job(x):
        if x in after:
            done[after[x]].wait(wait)
        elif hold:
            threading.Event().wait(hold)  # an event nobody sets: a patched sleep cannot shorten it
        try:
            return then(x)
        finally:
            done[x].set()
    return job


def failing_in_order(inputs: Sequence[Hashable], order: Sequence[Hashable], hold: float = 0.5,
                     then: Callable = _times_ten, timeout: float = 1.0):
    """A job whose calls for the inputs in *order* raise, one after another in that order.

    Built to check "raise the first failing input's exception once every call has finished":

    - every call first waits (at most *timeout*) until a call for each input is in progress,
      so code that runs them all at once has them all started before the first one ends (a
      pool then never reuses a thread, and has no call left waiting to be cancelled), then
      *hold* seconds more, so code that does not wait for the calls sees no error at all;
    - the call for ``order[k]`` waits (at most *timeout*) until the call for ``order[k - 1]``
      has raised, then raises ``ValueError("bad input <x>")``; so the first failing input (in
      input order) need not be the first, nor the last, to raise;
    - a call for an input before every failing one returns ``then(x)`` at once;
    - a call for any later input waits (at most *timeout*) until every failing call has raised,
      then *hold* seconds more, then returns ``then(x)``. Code that raises as soon as it meets
      an error would have to be stalled for *hold* seconds to see these calls finished.

    Returns:
        ``(job, errors)``: the job, and a dict filled with each failing input's exception
        object as it is raised.

    Raises:
        TypeError, ValueError: bad arguments, an input in *order* that is not in *inputs*,
            or repeated inputs.
    """
    check_seconds("hold", hold)
    check_seconds("timeout", timeout)
    check_callable("then", then)
    inputs, order = list(inputs), list(order)
    if len(set(inputs)) != len(inputs) or len(set(order)) != len(order):
        raise ValueError(f"inputs and order must be distinct (got {inputs!r} and {order!r})")
    if not set(order) <= set(inputs):
        raise ValueError(f"order must list inputs only (got {order!r} for inputs {inputs!r})")
    everyone = threading.Barrier(max(1, len(inputs)))
    raised = {x: threading.Event() for x in order}
    before = dict(zip(order[1:], order))
    first = min((inputs.index(x) for x in order), default=len(inputs))
    errors: dict = {}

    def job(x):
        try:
            everyone.wait(timeout)
        except threading.BrokenBarrierError:
            pass  # not all in progress at once: the test's other checks say so
        pause = threading.Event()  # nobody sets it: a pause a patched time.sleep cannot shorten
        pause.wait(hold)
        if x in raised:
            if x in before:
                raised[before[x]].wait(timeout)
            errors[x] = ValueError(f"bad input {x!r}")
            raised[x].set()
            raise errors[x]
        if inputs.index(x) > first:
            deadline = time.monotonic() + timeout
            for event in raised.values():
                event.wait(max(0.0, deadline - time.monotonic()))
            pause.wait(hold)  # still running while an early raise happens
        return then(x)
    return job, errors
