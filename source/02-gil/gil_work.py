"""The work lesson 2 times: a pure-Python countdown, and the same countdown for worker processes.

It lives in a module, not in the notebook, because a process started with spawn or forkserver
finds the function it runs by importing the function's module, and a notebook is not one.
"""

import multiprocessing
import time

import course


def count_down(n):
    """Count n down to zero in pure Python: all computing, and the GIL held throughout."""
    while n > 0:
        n -= 1


def timed_count_down(n):
    """Run count_down(n); return the CPU seconds it took in this process."""
    start = time.process_time()
    count_down(n)
    return time.process_time() - start


def count_down_lane(n, piece=2_000):
    """Run count_down(n) in pieces, each recorded on a lane named after this process.

    Returns the lane as plain data, for the parent's course.Recorder: rec.add(...).
    """
    lane = course.Lane(multiprocessing.current_process().name)
    while n > 0:
        with lane.span("work"):
            count_down(min(piece, n))
        n -= piece
    return lane.close().export()
