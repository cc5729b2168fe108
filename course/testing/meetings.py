"""Stand-ins whose calls meet: graded tests hand them to a student's function in place of a job.

Every call waits at a barrier until the expected number of calls are in progress together, so
a test learns, deterministically and on any number of cores, whether the student's code ran the
calls at the same time. Calls made one after another never meet: the first waits *meet_s*
seconds, the meeting is called off, and the stand-in notes it (it never raises, so a wrong
answer is reported by the test's message rather than by a thread's traceback).

    job = testing.MeetingJob(calls=3, sleep_s=0.2)       # meets, then sleeps 0.2 s
    wall, cpu = time_threads(job, 3)
    assert job.met, "the 3 calls did not run at the same time"
"""

from __future__ import annotations

import threading
import time

from .._validate import check_int, check_non_negative, check_seconds

__all__ = ["MeetingJob", "MeetingFetch"]

MEET_S = 5.0  # how long a call waits for the others: ample for threads that were started


class _Meeting:
    """Counts calls and their threads, and has every call wait for the others to arrive."""

    def __init__(self, calls: int, meet_s: float) -> None:
        check_int("calls", calls, 1)
        check_seconds("meet_s", meet_s)
        self.expected = calls
        self.meet_s = meet_s
        self._barrier = threading.Barrier(calls)
        self._lock = threading.Lock()  # protects _idents and _apart
        self._idents: list[int] = []
        self._apart = False

    def _arrive(self) -> None:
        with self._lock:
            self._idents.append(threading.get_ident())
        try:
            self._barrier.wait(self.meet_s)
        except threading.BrokenBarrierError:  # some call came too late, or never
            with self._lock:
                self._apart = True

    @property
    def calls(self) -> int:
        """How many calls were made so far."""
        with self._lock:
            return len(self._idents)

    @property
    def threads(self) -> int:
        """How many distinct threads made them."""
        with self._lock:
            return len(set(self._idents))

    @property
    def met(self) -> bool:
        """True when exactly the expected calls were made and all of them ran at the same time."""
        with self._lock:
            return not self._apart and len(self._idents) == self.expected


class MeetingJob(_Meeting):
    """A job taking no arguments: meet the other calls, then sleep, then compute.

    Each call sleeps *sleep_s* seconds and then burns *cpu_s* seconds of its own thread's CPU
    time, so *n* calls run from one start to one join take at least ``sleep_s + cpu_s`` of
    wall time and at least ``n * cpu_s`` of the process's CPU time, on any machine.

    Args:
        calls: how many calls must meet.
        sleep_s: seconds each call sleeps after the meeting (>= 0).
        cpu_s: seconds of thread CPU time each call burns after sleeping (>= 0).
        meet_s: seconds a call waits for the others before the meeting is called off.
    """

    def __init__(self, calls: int, sleep_s: float = 0.0, cpu_s: float = 0.0,
                 meet_s: float = MEET_S) -> None:
        super().__init__(calls, meet_s)
        check_non_negative("sleep_s", sleep_s)
        check_non_negative("cpu_s", cpu_s)
        self.sleep_s, self.cpu_s = sleep_s, cpu_s

    def __call__(self) -> None:
        self._arrive()
        time.sleep(self.sleep_s)
        end = time.thread_time() + self.cpu_s
        while time.thread_time() < end:  # CPU time of this thread only, whatever the load
            pass

    @property
    def least_wall_s(self) -> float:
        """The wall time any run of the calls from start to join must take at least."""
        return self.sleep_s + self.cpu_s

    @property
    def least_cpu_s(self) -> float:
        """The CPU time the expected calls burn together, at least."""
        return self.expected * self.cpu_s


class MeetingFetch(_Meeting):
    """A stand-in for fetching a page: every call waits until all the pages are being fetched.

    ``fetch(page)`` returns ``body(page)``, the text ``"<page>"``, after the meeting.

    Args:
        pages: the pages that will be fetched, one call each.
        meet_s: seconds a call waits for the others before the meeting is called off.
    """

    def __init__(self, pages, meet_s: float = MEET_S) -> None:
        self.pages = list(pages)
        super().__init__(max(1, len(self.pages)), meet_s)

    def __call__(self, page) -> str:
        self._arrive()
        return self.body(page)

    @staticmethod
    def body(page) -> str:
        """What fetching *page* returns."""
        return f"<{page}>"
