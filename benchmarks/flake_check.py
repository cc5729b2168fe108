"""Print how often grading gives a wrong answer on a loaded machine: solutions and race probes.

    python benchmarks/flake_check.py [--runs 30] [--probe-runs 10000] [--false-alarm-runs 2000]
                                     [--deadlock-runs 300] [--assignments 02-gil ...]
                                     [--no-load] [--no-grading] [--no-probes] [--only NAME]

While one busy process per usable core keeps the machine loaded (graded tests must pass on a
loaded 2-core machine), it

1. autogrades the source solution of each assignment ``--runs`` times (one nbgrader run of that
   many students, in a scratch course) and prints full marks N/N, with any cell that failed;
2. runs each race and deadlock probe the graded tests use many times, on the catalogued mistake
   it must catch (a *miss* is a run that lets it through) and on the solution it must pass (a
   *false alarm* is a run that flags it). Goal: 0 misses in 10,000 and no false alarm.

Under load a probe run takes 30-100 ms and a lesson submission 5-40 s, so the defaults take
about an hour on 2 cores; --runs 10 takes about 40 minutes. The probes mirror lesson 3's test cells:
the lost-update check every counter and account test relies on, the overdraw checks (one coin
withdrawn by 8 threads, one transfer's worth moved by 8 threads) and the opposite-order-locking
deadlock, the last three on ``testing.ContendedLocks`` as the tests use them (the deadlock bounded
at --deadlock-bound seconds instead of the test's 5 s: it happens within milliseconds or not at
all).
"""

from __future__ import annotations

import argparse
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the nbgrader harness is grading.harness, in this repository

import course  # noqa: E402
from course import testing  # noqa: E402
from course.lessons import sync as lesson  # noqa: E402
from course.timeline import usable_cores  # noqa: E402


# --- load ------------------------------------------------------------------------------------
def start_load(processes: int) -> list[subprocess.Popen]:
    """Start busy pure-Python loops, one per process (stopped by stop_load)."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(processes)]


def stop_load(busy: list[subprocess.Popen]) -> None:
    for process in busy:
        process.kill()
        process.wait()


# --- grading ---------------------------------------------------------------------------------
def grade_solutions(assignments: list[str], runs: int) -> bool:
    """Autograde each assignment's solution *runs* times; print full marks N/N."""
    from grading.harness import (autograde, build_submission, generate_assignment, make_course,
                                 read_notebooks, solution_cells, write_submission)

    ok = True
    with tempfile.TemporaryDirectory(prefix="flake-check-") as scratch:
        course_dir = make_course(Path(scratch) / "course", REPO / "source", assignments)
        generate_assignment(course_dir)
        for name in assignments:
            release = read_notebooks(course_dir / "release" / name)
            source = read_notebooks(course_dir / "source" / name)
            solved = {nb: build_submission(release[nb], solution_cells(source[nb]))
                      for nb in release}
            students = [f"solution-{i:02d}" for i in range(1, runs + 1)]
            for student in students:
                write_submission(course_dir, name, student, solved)
            started = time.perf_counter()
            scores = autograde(course_dir, name, students, timeout=runs * 300)
            seconds = (time.perf_counter() - started) / runs
            full = [s for s in students if s in scores
                    and all(nb.score == nb.max_score for nb in scores[s].values())]
            print(f"  {name:<26} full marks {len(full)}/{runs}   ({seconds:.1f} s per submission)",
                  flush=True)
            for student in sorted(set(students) - set(full)):
                ok = False
                for nb in scores.get(student, {}).values():
                    print(f"    {student}: {nb}".replace("\n", "\n    "))
    return ok


# --- probes ----------------------------------------------------------------------------------
def answer(path_or_source: str | Path, grade_id: str) -> dict:
    """The names a solution cell defines: a catalogued mistake's block or the source's answer."""
    from grading.harness import parse_mistake, read_notebooks, solution_cells

    if isinstance(path_or_source, Path):
        text = parse_mistake(path_or_source).cells[grade_id]
    else:
        notebook = next(iter(read_notebooks(REPO / "source" / path_or_source).values()))
        text = solution_cells(notebook)[grade_id]
    namespace = {"testing": testing, "lesson": lesson, "course": course,
                 "threading": threading, "time": time, "queue": queue}
    exec(compile(text, f"<{grade_id}>", "exec"), namespace)
    return namespace


def lost_updates(account_class) -> bool:
    """Lesson 3's safe_account_counts_deposits: True when it reports lost deposits."""
    try:
        testing.assert_no_lost_updates(account_class, lambda a, w: a.deposit(1),
                                      lambda a: a.balance)
    except AssertionError:
        return True
    return False


def overdraws(account_class) -> bool:
    """Lesson 3's hidden one-coin probe: 8 threads withdraw 1 from a balance of 1 on contended
    locks; True when any trial ended anywhere but 0."""
    def one_coin():
        account = account_class(1)
        testing.ContendedLocks(8).install(account)
        return account

    def withdraw_or_refuse(account, worker):
        try:
            account.withdraw(1)
        except ValueError:
            pass

    report = testing.race_probe(one_coin, withdraw_or_refuse, lambda a: a.balance, threads=8,
                               iterations=1)
    return set(report.observed) != {0}


def transfers_overdraw(transfer) -> bool:
    """Lesson 3's transfers_never_overdraw: 8 transfers of 5 from a balance of 5; True when
    any trial left A anywhere but 0."""
    def enough_for_one():
        pair = lesson.Account(5, "A"), lesson.Account(0, "B")
        testing.ContendedLocks(8).install(*pair)
        return pair

    def try_transfer(pair, worker):
        try:
            transfer(pair[0], pair[1], 5)
        except ValueError:
            pass

    report = testing.race_probe(enough_for_one, try_transfer, lambda pair: pair[0].balance,
                               threads=8, iterations=1)
    return set(report.observed) != {0}


def deadlocks(transfer, bound: float) -> bool:
    """Lesson 3's transfers_both_ways_finish (bounded at *bound* s): True when it flags them."""
    def two_accounts():
        pair = lesson.Account(100, "A"), lesson.Account(100, "B")
        testing.ContendedLocks(4).install(*pair)
        return pair

    def opposing(pair, worker):
        source, target = pair if worker % 2 == 0 else pair[::-1]
        transfer(source, target, 1)

    try:
        testing.assert_no_lost_updates(two_accounts, opposing,
                                      lambda p: p[0].balance + p[1].balance, gain=0,
                                      timeout=bound)
    except AssertionError:
        return True
    return False


class _Locked(lesson.SlowCounter):
    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            super().increment()


def probes(runs: int, false_alarm_runs: int, deadlock_runs: int, bound: float):
    """(name, probe, expected flag, runs): a miss is a run whose flag differs."""
    assignment = "03-synchronization"
    mistakes = REPO / "tests" / "mistakes" / assignment
    no_lock = answer(mistakes / "ex1_no_lock.py", "safe_account")["SafeAccount"]
    outside = answer(mistakes / "ex1_check_outside_lock.py", "safe_account")["SafeAccount"]
    opposite = answer(mistakes / "ex2_opposite_order.py", "transfer")["transfer"]
    checked_early = answer(mistakes / "ex2_check_before_locks.py", "transfer")["transfer"]
    safe = answer(assignment, "safe_account")["SafeAccount"]
    ordered = answer(assignment, "transfer")["transfer"]
    return [
        ("race_probe: counter without a lock",
         lambda: testing.race_probe(lesson.SlowCounter).raced,
         True, runs),
        ("race_probe: locked counter", lambda: testing.race_probe(_Locked).raced, False,
         false_alarm_runs),
        ("lost deposits: ex1_no_lock", lambda: lost_updates(no_lock), True, runs),
        ("lost deposits: solution", lambda: lost_updates(safe), False, false_alarm_runs),
        ("overdraw: ex1_check_outside_lock", lambda: overdraws(outside), True, runs),
        ("overdraw: solution", lambda: overdraws(safe), False, false_alarm_runs),
        ("deadlock: ex2_opposite_order", lambda: deadlocks(opposite, bound), True,
         deadlock_runs),
        ("deadlock: solution", lambda: deadlocks(ordered, bound), False, deadlock_runs),
        ("transfer overdraw: ex2_check_before_locks", lambda: transfers_overdraw(checked_early),
         True, runs),
        ("transfer overdraw: solution", lambda: transfers_overdraw(ordered), False,
         false_alarm_runs),
    ]


def run_probes(runs: int, false_alarm_runs: int, deadlock_runs: int, bound: float,
               only: str = "") -> bool:
    ok = True
    for name, probe, expected, count in probes(runs, false_alarm_runs, deadlock_runs, bound):
        if only not in name:
            continue
        started = time.perf_counter()
        wrong = sum(probe() != expected for _ in range(count))
        word = "miss" if expected else "false alarm"
        print(f"  {name:<36} {word:<11} {wrong}/{count}  "
              f"({(time.perf_counter() - started) / count * 1e3:.1f} ms per run)", flush=True)
        ok = ok and wrong == 0
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="solution gradings per assignment")
    parser.add_argument("--probe-runs", type=int, default=10_000,
                        help="runs per race probe on a mistake")
    parser.add_argument("--false-alarm-runs", type=int, default=2_000,
                        help="runs per race probe on a solution")
    parser.add_argument("--deadlock-runs", type=int, default=300, help="runs per deadlock probe")
    parser.add_argument("--deadlock-bound", type=float, default=0.5,
                        help="seconds a deadlock probe waits")
    parser.add_argument("--assignments", nargs="*", help="default: every assignment of source/")
    parser.add_argument("--no-load", action="store_true", help="leave the machine idle")
    parser.add_argument("--no-grading", action="store_true")
    parser.add_argument("--no-probes", action="store_true")
    parser.add_argument("--only", default="", help="run only the probes whose name has this")
    args = parser.parse_args(argv)
    from grading.harness import list_assignments

    assignments = args.assignments or list_assignments(REPO / "source")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the load on the way out
    busy = [] if args.no_load else start_load(usable_cores())
    try:
        time.sleep(1)
        print(f"{usable_cores()} usable cores, {len(busy)} busy processes, load average "
              f"{os.getloadavg()[0]:.2f}", flush=True)
        ok = True
        if not args.no_grading:
            print("Solutions graded under load:", flush=True)
            ok = grade_solutions(assignments, args.runs) and ok
        if not args.no_probes:
            print("Probes under load (a miss lets a mistake through):", flush=True)
            ok = run_probes(args.probe_runs, args.false_alarm_runs, args.deadlock_runs,
                            args.deadlock_bound, args.only) and ok
    finally:
        stop_load(busy)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
