"""Markdown the lesson computes from what this run measured; no number in it is written by hand.

Each function takes measured values and returns a paragraph (or a list) for a hidden code cell
to display. Wording adapts to the core count, the start method and the machine's load.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..._validate import check_int
from ...start_methods import check_start_method
from ...timeline import Timeline

__all__ = ["duration", "setup_note", "reports_text", "startup_text", "fork_warning_text",
           "parallel_text", "oversubscribed_text", "transfer_text", "queue_flush_text",
           "value_race_text", "shared_memory_text", "pool_text", "costs_summary"]

# A second run doing the same work per second as the first, within this share, "adds no speed".
SAME_SPEED = 0.15


def duration(seconds: float) -> str:
    """A duration written with a unit that suits it: 170 ns, 35 µs, 2.40 ms, 13.1 ms, 1.25 s."""
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 0.01:
        return f"{seconds * 1e3:.2f} ms"
    if seconds < 0.1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e3:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _load() -> float | None:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows has no load average
        return None


def _busy(cores: int) -> str:
    load = _load()
    if load is None or load < cores / 2:
        return ""
    return (f" The machine is busy (load {load:.1f} on {cores} core(s)): other programs take "
            "cores too, so fewer processes can run at once than you have cores.")


def setup_note(method: str, cores: int) -> str:
    """What the start method and the core count mean for this lesson.

    Raises:
        ValueError: an unknown method or cores < 1.
    """
    check_start_method("method", method)
    check_int("cores", cores, 1)
    how = {"fork": "copies of this kernel, made with `fork`",
           "spawn": "fresh interpreters, made with `spawn`",
           "forkserver": "copies of a server process that started as a fresh interpreter "
                         "(`forkserver`)"}[method]
    parallel = (f"at most **{cores}** processes can compute at the same moment" if cores > 1
                else "only **one** process can compute at a time, so processes take turns")
    return (f"This kernel starts processes as {how}. It may use **{cores}** core(s): {parallel}. "
            "Every example works under fork, spawn and forkserver; where the method changes "
            "the outcome, the cell names the method it uses.")


def reports_text(reports: Sequence[tuple[str, int, int]], kernel_pid: int, method: str) -> str:
    """What the children's ``(label, pid, parent pid)`` reports show."""
    pids = {pid for _, pid, _ in reports}
    parents = {parent for _, _, parent in reports}
    if parents == {kernel_pid}:
        who = "this kernel"
    elif method == "forkserver":
        who = "the forkserver, a process that forks every child"
    else:
        who = ", ".join(map(str, sorted(parents)))
    order = [label for label, _, _ in reports]
    return (f"{len(reports)} children, **{len(pids)}** different pids, none of them this "
            f"kernel's ({kernel_pid}). Their parent: {who}. The reports arrived in the order the "
            f"children put them on the queue ({', '.join(order)}), which is not always the order "
            "they were started in.")


def startup_text(costs: dict[str, float]) -> str:
    """What the median start-up times mean."""
    processes = {k: v for k, v in costs.items() if k != "thread"}
    parts = ", ".join(f"**{duration(v)}** with {k}" for k, v in processes.items())
    slowest = max(processes, key=processes.get)
    ratio = processes[slowest] / costs["thread"] if costs.get("thread") else float("nan")
    return (f"A thread started and ended in **{duration(costs['thread'])}**; a process took "
            f"{parts}. The slowest, {slowest}, took {ratio:,.0f}x a thread. A task sent to a "
            "new process must take well above this to be worth it; a pool pays it once per "
            "worker, not once per task.")


def fork_warning_text(warnings_seen: Sequence[str], version: tuple[int, int],
                      threads: int) -> str:
    """What catching the warning of a fork in a threaded process showed on this Python."""
    if warnings_seen:
        return (f"Python {version[0]}.{version[1]} warned: *{warnings_seen[0]}* A notebook "
                "would not have shown it: the default filters hide a `DeprecationWarning` "
                "unless it comes from code in `__main__`, and this one comes from inside "
                "`multiprocessing`.")
    if version < (3, 12):
        return (f"Python {version[0]}.{version[1]} has no such warning (it came with 3.12), even "
                f"though this kernel runs {threads} threads: the danger is the same.")
    return (f"No warning this time: the kernel ran {threads} thread(s) when it forked. A second "
            "thread holding a lock at that moment is what makes fork unsafe.")


def parallel_text(timeline: Timeline, cores: int) -> str:
    """What the chart of one CPU-bound process per core shows."""
    m = timeline.metrics()
    spans = {lane["name"]: sum(e - s for s, e, _ in lane["spans"]) / 1e9
             for lane in timeline.lanes if lane["spans"]}
    text = (f"{m.lanes} processes on {cores} core(s): at most **{m.max_running}** ran at the same "
            f"moment, and on average {m.parallelism:.2f} were computing (CPU/wall "
            f"{m.cpu_over_wall:.2f}).")
    if len(spans) > 1:
        slow, fast = max(spans, key=spans.get), min(spans, key=spans.get)
        text += (f" The ranges were equally long, but not equal work: {slow} took "
                 f"{duration(spans[slow])} and {fast} {duration(spans[fast])}. Testing a big "
                 "number for primality takes more steps than testing a small one, so the "
                 "workers with the higher ranges finish last while the others sit idle.")
    return text + _busy(cores)


def oversubscribed_text(fit: Timeline, crowded: Timeline, cores: int) -> str:
    """Compare one process per core with two per core, each process doing the same work."""
    f, c = fit.metrics(), crowded.metrics()
    per_second = (c.lanes / c.wall_s) / (f.lanes / f.wall_s)
    if per_second < 1 + SAME_SPEED:
        verdict = ("the extra processes added no speed: they only took turns on the same "
                   "cores, with more start-up, memory and switching")
    else:
        verdict = (f"the crowded run did {per_second:.2f}x as much work per second, so the first "
                   "run had left some capacity unused (for instance when cores were busy with "
                   "other programs, or processes were still starting)")
    return (f"{f.lanes} processes took {f.wall_s:.2f} s; {c.lanes} processes, twice the work, "
            f"took {c.wall_s:.2f} s ({c.wall_s / f.wall_s:.1f}x), with at most "
            f"**{c.max_running}** running at once on {cores} core(s). On this run "
            f"{verdict}. Size CPU-bound pools to the cores (`os.process_cpu_count()` from "
            "Python 3.13, `len(os.sched_getaffinity(0))` on Linux)." + _busy(cores))


def transfer_text(rows: Sequence, costs: dict[str, float]) -> str:
    """What sending big arguments cost, compared with starting a process."""
    big = max(rows, key=lambda r: r.megabytes)
    slowest = max((k for k in costs if k != "thread"), key=costs.get)
    return (f"Sending {big.megabytes:g} MB cost **{duration(big.round_trip_s)}**, about "
            f"{big.ms_per_mb:.1f} ms per MB, for work that only reads the length of the data; "
            f"starting a whole {slowest} process took {duration(costs[slowest])}. Send "
            "processes a *description* of their work (a range of numbers, a file name), not the "
            "data, or put big data in shared memory (below).")


def queue_flush_text(small_ended: bool, big_ended_unread: bool, big_ended_read: bool) -> str:
    """What the two producers did before and after their items were read."""
    first = ("The producer of 100 bytes ended although nobody had read its item: the item fit "
             "in the pipe." if small_ended else
             "Even the producer of 100 bytes had not ended: the machine is very busy.")
    if big_ended_unread:
        second = ("The producer of 1 MB ended too: this platform's pipe took the whole item, so "
                  "here reading first was not needed (on Linux it usually is).")
    else:
        second = ("The producer of 1 MB could not end until its item was read: its queue's "
                  "background thread was still writing the item into the full pipe.")
    after = ("" if big_ended_read else
             " It had still not ended after the read: look for a stuck process.")
    return (f"{first} {second}{after} So take every result from a queue *before* you join the "
            "processes that put them there.")


def value_race_text(totals: dict[bool, tuple[int, float]], expected: int) -> str:
    """Lost updates without the lock, none with it, and what the lock cost in time."""
    (unlocked, free_s), (locked, held_s) = totals[False], totals[True]
    lost = expected - unlocked
    if lost:
        first = (f"Without the lock, **{lost}** of {expected} updates were lost: both processes "
                 "read the same value, and both wrote back value + 1.")
    else:
        first = (f"Without the lock nothing was lost this time ({unlocked} of {expected}): the "
                 "two processes did not overlap (on a busy machine one may finish before the "
                 "other starts). Run the cell again.")
    return (f"{first} With the lock, {expected - locked} were lost, and the run took "
            f"{held_s:.2f} s instead of {free_s:.2f} s, because the processes took turns. "
            "`counter.value += 1` is a read and a write, each locked on its own, so it is not "
            "atomic either: hold `with counter.get_lock():` around the whole update.")


def shared_memory_text(name: str, elapsed: float, transfers: Sequence) -> str:
    """The shared block's cost against pickling the same amount of data."""
    big = max(transfers, key=lambda r: r.megabytes)
    return (f"The parent sees the doubled numbers without receiving anything: only the name "
            f"`{name}` crossed the boundary. Starting the child and doubling 32 MB took "
            f"**{duration(elapsed)}** in all; sending {big.megabytes:g} MB to a pool worker by "
            f"pickling took {duration(big.round_trip_s)}. Whoever creates a block must also "
            "free it:")


def pool_text(run, baseline, predicted: float | None) -> str:
    """One line under the pool explorer: the run's speedup, Amdahl's, and what ran at once."""
    measured = baseline.wall_s / run.wall_s
    amdahl = "" if predicted is None else f" (Amdahl: {predicted:.2f}x)"
    m = run.timeline.metrics()
    return (f"{run.tasks} tasks of {run.task_ms:g} ms, {run.workers} worker(s), chunksize "
            f"{run.chunksize}: wall {run.wall_s:.3f} s vs {baseline.wall_s:.3f} s on 1 worker, "
            f"speedup {measured:.2f}x{amdahl}; at most {m.max_running} running at once on "
            f"{run.timeline.cores} cores")


def costs_summary(measured: dict[str, float]) -> str:
    """The closing list: what each crossing of the process boundary cost in this run.

    Args:
        measured: seconds per event, under any of these keys: "thread", "fork", "spawn",
            "forkserver" (start and join), "ms_per_mb" (milliseconds per MB sent to a pool),
            "message" (a Pipe round trip), "manager" (a Manager dict update), "local"
            (a dict update in this process).
    """
    lines = []
    starts = [f"{duration(measured[m])} ({m})" for m in ("fork", "spawn", "forkserver")
              if m in measured]
    if starts:
        lines.append(f"- starting and joining a process: {', '.join(starts)}")
    if "thread" in measured:
        lines.append(f"- starting and joining a thread: {duration(measured['thread'])}")
    if "ms_per_mb" in measured:
        lines.append(f"- sending data to a pool worker: {measured['ms_per_mb']:.1f} ms per MB")
    if "message" in measured:
        lines.append(f"- a small message there and back through a Pipe: "
                     f"{duration(measured['message'])}")
    if "manager" in measured:
        lines.append(f"- one update of a Manager dict: {duration(measured['manager'])}")
    if "local" in measured:
        lines.append(f"- one update of a dict in this process: {duration(measured['local'])}")
    return "In this run, on this machine:\n\n" + "\n".join(lines)
