"""Correct: type hints, and a logging line on stderr per call."""
LOSES = 0

# %% grade_id: repeat_until
import logging
import threading
from typing import Callable


def repeat_until(stop: threading.Event, action: Callable[[], object], interval: float) -> int:
    """Call action() now and every interval seconds until stop is set; return the call count."""
    if interval <= 0:
        raise ValueError(f"interval must be > 0 seconds (got {interval})")
    calls = 0
    while not stop.is_set():
        action()
        calls += 1
        logging.warning("call %d done; next in %s s unless stopped", calls, interval)
        stop.wait(interval)
    return calls
