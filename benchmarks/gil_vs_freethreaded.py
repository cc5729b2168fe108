"""Print how pure-Python threads fare on each Python build found: with the GIL, free-threaded,
and free-threaded with the GIL switched back on.

For 1, 2 and 4 "cpu" threads on each build: wall time, CPU/wall, the share of the run with two
or more threads running, and the most threads seen running at once (medians of a few runs).
Then the single-thread overhead of the free-threaded build, measured on a fixed amount of
work: experiments size their work in milliseconds calibrated per interpreter, so their wall
times are equal by construction and cannot show it.

Run with ``python benchmarks/gil_vs_freethreaded.py [--repeats N] [--size-ms MS]``. Figures
depend on the machine and its load (printed first); run it on an idle machine to quote them.
"""

import argparse
import os
import statistics

from course.interpreters import (
    current_interpreter, describe_search, find_interpreters, run_elsewhere, time_cpu_work,
)
from course.timeline import usable_cores

WORKERS = (1, 2, 4)
SPIN_ITERATIONS = 2_000_000


def builds() -> list[tuple[str, object, bool | None]]:
    """(label, interpreter, gil override) for one Python per build, this one first."""
    chosen, seen = [], set()
    for python in [current_interpreter(), *find_interpreters()]:
        key = (python.free_threaded, python.gil_enabled)
        if python.has_course and key not in seen:
            seen.add(key)
            chosen.append((python.label, python, None))
            if python.free_threaded and not python.gil_enabled:
                re_enabled = f"{python.implementation} {python.version} free-threaded, PYTHON_GIL=1"
                chosen.append((re_enabled, python, True))
    return chosen


def measure(python, gil, workers: int, repeats: int, size_ms: float) -> dict:
    """Median figures of *repeats* runs of *workers* cpu threads."""
    runs = [run_elsewhere(python, "cpu", workers, size_ms=size_ms, gil=gil, timeout=120)
            for _ in range(repeats)]
    return {
        "wall": statistics.median(r.metrics.wall_s for r in runs),
        "cpu/wall": statistics.median(r.metrics.cpu_over_wall for r in runs),
        ">=2": statistics.median(r.metrics.share_2_running for r in runs),
        "max": max(r.metrics.max_running for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--size-ms", type=float, default=200.0)
    args = parser.parse_args()
    print(f"usable cores {usable_cores()}, load average {os.getloadavg()[0]:.2f} at start")
    found = builds()
    if not any(python.free_threaded for _, python, _ in found):
        print(describe_search())
    print(f"\n{'build':<52} {'threads':>7} {'wall s':>7} {'CPU/wall':>8} {'>=2 running':>11} "
          f"{'max':>4}")
    for label, python, gil in found:
        for workers in WORKERS:
            row = measure(python, gil, workers, args.repeats, args.size_ms)
            print(f"{label:<52} {workers:>7} {row['wall']:>7.3f} {row['cpu/wall']:>8.2f} "
                  f"{row['>=2']:>11.0%} {row['max']:>4}")
    spin = {label: time_cpu_work(python, SPIN_ITERATIONS, repeats=5)
            for label, python, gil in found if gil is None}
    print(f"\nspin({SPIN_ITERATIONS:,}) on one thread, best of 5:")
    for label, seconds in spin.items():
        print(f"  {label:<50} {seconds:.3f} s")
    gil_s = [s for (label, s) in spin.items() if "with the GIL" in label]
    ft_s = [s for (label, s) in spin.items() if "GIL disabled" in label]
    if gil_s and ft_s:
        print(f"single-thread overhead (free-threaded / GIL): {ft_s[0] / gil_s[0]:.2f}x")
    print(f"load average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
