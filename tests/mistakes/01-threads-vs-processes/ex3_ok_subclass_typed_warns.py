"""Correct: a typed Thread subclass, and a warnings.warn note when there is nothing to read."""
LOSES = 0

# %% grade_id: record_jobs
import warnings
from typing import Callable


class Recorded(threading.Thread):
    def __init__(self, rec: course.Recorder, job: Callable[[], object]) -> None:
        super().__init__()
        self.rec, self.job = rec, job

    def run(self) -> None:
        with self.rec.span("wait"):
            self.job()


def record_jobs(jobs: list[Callable[[], object]]) -> course.Timeline:
    """Call each job in a thread of its own, all at once, each call a "wait" span; return the timeline."""
    rec = course.Recorder()
    threads = [Recorded(rec, job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return rec.timeline()


def speedup_from(timeline: course.Timeline) -> float:
    """Return the total duration of the timeline's bars divided by its wall time (0.0 if none)."""
    bars = timeline.segments()
    if not bars:
        warnings.warn("nothing was recorded: the speedup is 0")
        return 0.0
    return sum(bar.duration_ns for bar in bars) / timeline.wall_ns
