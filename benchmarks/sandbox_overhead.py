"""Print what the grading sandbox (grading/sandbox.py) costs per submission.

    .venv/bin/python benchmarks/sandbox_overhead.py [--kernels 10] [--submissions 6]
                                                   [--assignment fixture]

Two measurements, each alternating sandboxed and unsandboxed runs so that load drifts hit both:

1. a kernel's life as grading sees it: start, ready, one small cell, shutdown (median of N);
2. `nbgrader autograde` of the same solution submitted by several students, in a scratch course,
   with the sandbox on and off: the median of GuardedExecute's seconds per notebook, and the
   command's wall time per submission.

The difference is what the sandbox adds: bubblewrap's namespaces, the control group, the copy of
the submission's folder, and the interpreter's first probe (once per grading process).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from grading.harness import (autograde, build_submission, generate_assignment,  # noqa: E402
                             make_course, read_notebooks, solution_cells, write_submission)
from grading.sandbox import SandboxedKernelManager, bwrap_problem, sandbox_gaps  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "source"


async def _kernel_life(sandboxed: bool, work: Path) -> float:
    km = SandboxedKernelManager(kernel_name="python3", enabled=sandboxed)
    started = time.perf_counter()
    await km.start_kernel(cwd=str(work))
    client = km.client()
    client.start_channels()
    await client.wait_for_ready(timeout=120)
    await client.execute_interactive("x = 6 * 7", timeout=60)
    client.stop_channels()
    await km.shutdown_kernel(now=False)
    return time.perf_counter() - started


def kernel_lives(count: int) -> dict[bool, list[float]]:
    """{sandboxed: [seconds]} of *count* kernel lives each, alternating."""
    times: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder) / "autograded" / "s" / "a"
        work.mkdir(parents=True)
        (work / "helper.py").write_text("VALUE = 1\n")
        asyncio.run(_kernel_life(True, work))  # the first: interpreter probe, font list
        for _ in range(count):
            for sandboxed in (True, False):
                times[sandboxed].append(asyncio.run(_kernel_life(sandboxed, work)))
    return times


def grading(assignment: str, students: int) -> dict[bool, tuple[list[float], float]]:
    """{sandboxed: ([seconds per notebook], wall seconds per submission)}."""
    source_root = FIXTURES if assignment == "fixture" else REPO / "source"
    results: dict[bool, tuple[list[float], float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        course = make_course(Path(folder) / "course", source_root, [assignment])
        generate_assignment(course, assignment)
        release = read_notebooks(course / "release" / assignment)
        answers = {name: solution_cells(nb) for name, nb in
                   read_notebooks(course / "source" / assignment).items()}
        for i in range(students):
            write_submission(course, assignment, f"s{i:02d}",
                             {name: build_submission(nb, answers[name])
                              for name, nb in release.items()})
        config = (course / "nbgrader_config.py").read_text()
        for sandboxed in (True, False, True, False):
            (course / "nbgrader_config.py").write_text(
                config + f"\nc.SandboxedKernelManager.enabled = {sandboxed}\n")
            seconds: dict[str, float] = {}
            started = time.perf_counter()
            autograde(course, assignment, seconds=seconds)
            wall = (time.perf_counter() - started) / students
            previous = results.get(sandboxed, ([], 0.0))
            results[sandboxed] = (previous[0] + list(seconds.values()),
                                  wall if not previous[0] else (wall + previous[1]) / 2)
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernels", type=int, default=10)
    parser.add_argument("--submissions", type=int, default=6)
    parser.add_argument("--assignment", default="fixture")
    args = parser.parse_args(argv)
    problem = bwrap_problem()
    if problem:
        print(f"no sandbox here: {problem}")
        return 1
    print(f"sandbox gaps here: {sandbox_gaps() or 'none'}")
    lives = kernel_lives(args.kernels)
    on, off = statistics.median(lives[True]), statistics.median(lives[False])
    print(f"kernel start + ready + 1 cell + shutdown, median of {args.kernels}: "
          f"sandboxed {on:.2f} s, unsandboxed {off:.2f} s, difference {on - off:+.2f} s")
    graded = grading(args.assignment, args.submissions)
    (on_nb, on_wall), (off_nb, off_wall) = graded[True], graded[False]
    on, off = statistics.median(on_nb), statistics.median(off_nb)
    print(f"autograde {args.assignment}, {len(on_nb)} notebooks each way: GuardedExecute median "
          f"sandboxed {on:.2f} s, unsandboxed {off:.2f} s, difference {on - off:+.2f} s per "
          f"notebook; wall per submission {on_wall:.2f} s vs {off_wall:.2f} s "
          f"({on_wall - off_wall:+.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
