"""Print how faithfully the charts show this machine: CPU/wall and time with >= 2 lanes running.

Run with ``python benchmarks/fidelity.py`` on an idle machine. Goals on 2 idle cores: pure-Python
threads CPU/wall <= 1.05 and 0% of the time with >= 2 running; processes >= 1.85 and >= 85%;
sha256 threads (64 KiB updates) >= 1.8.
"""

import os

from course.experiments import START_METHODS, run
from course.timeline import usable_cores

CASES = [
    ("cpu", 4, "threads", None, 400),
    *[("cpu", 4, "processes", method, 400) for method in START_METHODS],
    ("hash", 2, "threads", None, 300),
    ("hash-small", 2, "threads", None, 300),
    ("io", 4, "threads", None, 200),
    ("io", 4, "sequential", None, 200),
]


def main() -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{usable_cores()} usable cores, load average {load:.2f}")
    print(f"{'workload':<11}{'workers':>8} {'backend':<11}{'method':<11}"
          f"{'wall s':>8}{'CPU/wall':>10}{'>=2 running':>13}{'>=2 waiting':>13}")
    for workload, workers, backend, method, size in CASES:
        result = run(workload, workers, backend, start_method=method, size_ms=size)
        m, timeline = result.metrics, result.timeline
        print(f"{workload:<11}{workers:>8} {backend:<11}{method or '-':<11}"
              f"{m.wall_s:>8.3f}{m.cpu_over_wall:>10.2f}{m.share_2_running:>13.1%}"
              f"{timeline.share_at_least(2, 'waiting'):>13.1%}")


if __name__ == "__main__":
    main()
