"""Lesson 3's prose computed from this run's numbers: each function returns Markdown.

The notebook shows these in cells whose source is hidden, so the page reads as a lesson while
every number and every verdict ("no update was lost", "4 of 4 deposits lost") is the one this
machine measured, on this build, under this load.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from ...timeline import RUNNING, WAITING, Timeline

__all__ = ["counter_verdict", "race_verdict", "race_reading", "lock_reading", "lock_cost",
           "semaphore_reading", "event_reading", "spin_reading", "deadlock_reading"]


def counter_verdict(lost: Sequence[int], build: str | None = None,
                    gil: bool | None = None) -> str:
    """Say what the classic ``counter += 1`` demo did, naming the build it ran on.

    Args:
        lost: updates lost in each trial.
        build: the build in words (default: ``interpreters.describe_build()``).
        gil: whether the GIL was on (default: ``doctor.gil_enabled()``).

    Raises:
        ValueError: no trials.
    """
    from ...doctor import gil_enabled
    from ...interpreters import describe_build

    if not lost:
        raise ValueError("lost must hold at least one trial (got none)")
    build = describe_build() if build is None else build
    gil = gil_enabled() if gil is None else gil
    trials = sum(1 for n in lost if n)
    head = f"On this kernel, **{build}**, "
    if not trials:
        why = ("Since CPython 3.10 the interpreter switches threads only after a call or on a "
               "backward jump (the end of a loop iteration), never between the read and the "
               "write of `counter += 1`, so no other thread ever ran in that window."
               if gil else "Without a GIL nothing keeps two threads from reading the same "
               "value at the same moment; this time they did not happen to.")
        return (f"{head}**no update was lost in any of the {len(lost)} trials.** That does not "
                f"make `counter += 1` safe. {why} A free-threaded Python, or one call between "
                "the read and the write, opens the window.")
    text = f"{head}**updates were lost in {trials} of {len(lost)} trials** (up to {max(lost):,})"
    if not gil:
        return (text + ". This Python runs **without a GIL**: two threads really read the same "
                "value at the same moment on different cores, and one addition overwrites the "
                "other.")
    return text + ": this interpreter switched threads between a read and its write."


def race_verdict(lost: Sequence[int]) -> str:
    """Say in how many runs of read, ``sleep(0)``, write deposits went missing.

    Raises:
        ValueError: no runs.
    """
    if not lost:
        raise ValueError("lost must hold at least one run (got none)")
    runs = sum(1 for n in lost if n)
    spread = f"from {min(lost)} to {max(lost)} per run"
    if runs == len(lost):
        return (f"**Deposits were lost in all {len(lost)} runs** ({spread}). A call between "
                "the read and the write makes a switch possible, not certain; `sleep(0)` gives "
                "up the GIL on purpose, so here another thread ran there nearly every time.")
    return (f"**Deposits were lost in {runs} of {len(lost)} runs** ({spread}). A call between "
            "the read and the write makes a switch possible, not certain: in the other runs "
            "no thread happened to run in that window. Possible is enough to be a bug.")


def race_reading(timeline: Timeline, lost: int, expected: int) -> str:
    """Read the recorded race: how long, and how many, threads held a read at once."""
    share = timeline.share_at_least(2, WAITING)
    peak = timeline.max_at_once(WAITING)
    return (f"**{lost} of {expected} deposits were lost** in this recorded run. For "
            f"{share:.0%} of it, two or more threads were between their read and their write, "
            f"up to {peak} at once. Each of them then wrote back the balance it had read plus "
            "one, erasing the deposits made in the meantime.")


def lock_reading(locked: Timeline, unlocked: Timeline, balance: int, expected: int) -> str:
    """Read the recorded lock: deposits kept, at most one holder, time spent waiting."""
    holders = locked.max_at_once(RUNNING)
    waited = locked.share_at_least(1, WAITING)
    return (f"With the lock, **{balance} of {expected}** deposits arrived, and at most "
            f"{holders} thread held the lock at a time. The price: some thread was waiting "
            f"for the lock during {waited:.0%} of the run, which took "
            f"{locked.wall_ns / 1e6:.1f} ms against {unlocked.wall_ns / 1e6:.1f} ms without "
            "it: the deposits now happen one at a time.")


def lock_cost(costs_ns: Mapping[str, float], waited_ms: float) -> str:
    """Compare an uncontended ``with lock:`` with an empty statement, and with waiting.

    Args:
        costs_ns: nanoseconds per run of "pass" ("nothing"), "with lock: pass" ("Lock") and
            "with rlock: pass" ("RLock").
        waited_ms: milliseconds threads spent waiting for a lock in the recorded run.
    """
    extra = costs_ns["Lock"] - costs_ns["nothing"]
    rextra = costs_ns["RLock"] - costs_ns["nothing"]
    if extra <= 0:
        head = ("On this machine an uncontended `with lock:` cost **too little to tell apart** "
                "from an empty statement in this run")
        scale = ""
    else:
        head = (f"On this machine an uncontended `with lock:` cost **{extra:.0f} ns** "
                f"({max(rextra, 0):.0f} ns for an `RLock`)")
        scale = f", about {_rounded(waited_ms * 1e6 / extra)} times as long"
    return (f"{head}. The threads in the recorded run above waited {waited_ms:.2f} ms in all "
            f"for the lock{scale}. Taking a free lock is cheap; threads queueing for a busy one "
            "are not, so keep the locked block short.")


def _rounded(value: float) -> str:
    """*value* to two significant digits, with thousands separators: 1787846 -> "1,800,000"."""
    if value < 100:
        return f"{value:.0f}"
    digits = len(str(int(value))) - 2
    return f"{round(value, -digits):,.0f}"


def semaphore_reading(timeline: Timeline, limit: int, job_s: float) -> str:
    """Read the semaphore run: jobs at once against the cap, and the wall time it gave."""
    from .charts import capped_finding  # loads matplotlib: only when this text is asked for

    jobs = len(timeline.segments())
    alone = jobs * job_s * 1e3
    best = -(-jobs // limit) * job_s * 1e3
    return (f"{capped_finding(timeline, limit)}. One at a time, the {jobs} jobs of "
            f"{job_s * 1e3:.0f} ms would take {alone:.0f} ms; {limit} at a time, at least "
            f"{best:.0f} ms. The semaphore let no more than {limit} through, whatever the "
            "number of threads asking.")


def event_reading(ended_after_ms: Mapping[str, float], interval_ms: float) -> str:
    """Compare a worker waiting on an event with one sleeping between checks."""
    prompt, sleepy = ended_after_ms["prompt"], ended_after_ms["sleepy"]
    later = (f"{sleepy - prompt:.1f} ms later" if sleepy > prompt
             else "no later this time (its sleep happened to end just then)")
    return (f"`prompt` ended **{prompt:.2f} ms** after `stop.set()`: `stop.wait()` returns the "
            f"moment the flag is set. `sleepy` ended **{sleepy:.1f} ms** after, {later}: it "
            f"notices only when its sleep runs out, up to {interval_ms:.0f} ms. Wait on the "
            "event; never sleep and check.")


def spin_reading(asked: int, spin_cpu_ms: float, block_cpu_ms: float, wait_ms: float) -> str:
    """Compare spinning on ``is_set()`` with blocking in ``wait()``."""
    return (f"Spinning asked **{asked:,} times** and used {spin_cpu_ms:.1f} ms of CPU in those "
            f"{wait_ms:.0f} ms; blocking in `wait()` used {block_cpu_ms:.2f} ms. Both noticed "
            "the flag, but only one left the core (and, under a GIL, the interpreter) to the "
            "other threads.")


def deadlock_reading(crossed: Sequence[str], crossed_s: float, ordered: Sequence[str],
                     ordered_s: float, patience_s: float) -> str:
    """Compare locks taken in opposite orders with locks taken in one fixed order.

    Args:
        crossed, ordered: each thread's outcome ("moved" or "gave up") in each run.
        crossed_s, ordered_s: seconds each run took.
        patience_s: how long a thread waited for its second lock before giving up.
    """
    gave_up = sum(1 for outcome in crossed if outcome != "moved")
    moved = sum(1 for outcome in ordered if outcome == "moved")
    if gave_up == 0:
        head = (f"In opposite orders, **no thread gave up** this time ({crossed_s:.2f} s): one "
                "took both locks before the other took its first. That is rare, and it is how a "
                "deadlock hides until the run that hangs. ")
    elif gave_up == len(crossed):
        head = (f"In opposite orders, **all {gave_up} threads gave up** after {crossed_s:.2f} s: "
                f"each held one lock and waited for the other's until its {patience_s:g} s of "
                "patience ran out. ")
    else:
        head = (f"In opposite orders, **{gave_up} of {len(crossed)} threads gave up** after "
                f"{crossed_s:.2f} s: each held one lock and waited for the other's, until one ran "
                f"out of patience ({patience_s:g} s) and let go, so the other could finish. ")
    return (head + "Without a time limit, they would wait forever. In one fixed order, "
            f"{moved} of {len(ordered)} moved, in {ordered_s * 1e3:.0f} ms: the second thread "
            "waited for the first lock instead of taking the other one, so no cycle of waits "
            "could form.")
