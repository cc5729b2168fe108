"""Print what recording costs: nanoseconds per span, and how much it stretches a workload.

Run with ``python benchmarks/recorder_overhead.py``. Figures depend on the machine and its load;
run it on an idle machine for numbers worth quoting.
"""

import statistics
import time

from course.timeline import WORK, Lane
from course.workloads import calibrate, spin

SPANS = 200_000
REPEATS = 7


def ns_per_span() -> float:
    """Best-of-REPEATS cost of one recorded span (two clock reads and a bound append)."""
    best = float("inf")
    for _ in range(REPEATS):
        lane = Lane("bench")
        append, clock = lane.spans.append, time.perf_counter_ns
        start = clock()
        for _ in range(SPANS):
            t0 = clock()
            append((t0, clock(), WORK))
        best = min(best, (clock() - start) / SPANS)
    return best


def distortion(chunk_us: int = 50, chunks: int = 4_000) -> float:
    """Relative slowdown of chunked CPU work when every chunk is recorded."""
    iterations = calibrate(chunk_us)["cpu"]
    bare, recorded = [], []
    for _ in range(REPEATS):
        start = time.perf_counter_ns()
        for _ in range(chunks):
            spin(iterations)
        bare.append(time.perf_counter_ns() - start)
        lane = Lane("bench")
        append, clock = lane.spans.append, time.perf_counter_ns
        start = clock()
        for _ in range(chunks):
            t0 = clock()
            spin(iterations)
            append((t0, clock(), WORK))
        recorded.append(clock() - start)
    return statistics.median(recorded) / statistics.median(bare) - 1


def main() -> None:
    print(f"recorder cost: {ns_per_span():.0f} ns per span (goal <= 350 ns)")
    for chunk_us in (20, 50, 100):
        print(f"distortion at {chunk_us:>3} us chunks: {distortion(chunk_us):+.2%} "
              f"(goal <= 2% at 50 us)")


if __name__ == "__main__":
    main()
