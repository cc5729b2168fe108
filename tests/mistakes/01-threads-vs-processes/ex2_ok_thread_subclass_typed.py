"""Correct: a typed Thread subclass keeping its result or error; errors also logged to stderr."""
LOSES = 0

# %% grade_id: run_each_in_thread
import logging
from typing import Any, Callable


class Call(threading.Thread):
    def __init__(self, fn: Callable[[Any], Any], x: Any) -> None:
        super().__init__()
        self.fn, self.x = fn, x
        self.result: Any = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            self.result = self.fn(self.x)
        except Exception as error:
            logging.warning("call for %r failed: %s", self.x, error)
            self.error = error


def run_each_in_thread(fn: Callable[[Any], Any], inputs: list) -> list:
    """Return [fn(x) for x in inputs], each call made in a new thread, all running together."""
    calls = [Call(fn, x) for x in inputs]
    for call in calls:
        call.start()
    for call in calls:
        call.join()
    for call in calls:
        if call.error is not None:
            raise call.error
    return [call.result for call in calls]
