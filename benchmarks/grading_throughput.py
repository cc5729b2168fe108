"""Grading throughput: serial `nbgrader autograde` against `python -m grading --workers N`.

Builds one class of submissions spread over lessons 1-4 (per lesson: the solution, the released
stub, catalogued mistakes and one hostile submission: a broken notebook file, or a solution cell
that deadlocks and one that loops forever), then grades that same class in fresh copies of one
course: once with plain ``nbgrader autograde "*"`` (one process, one submission after another),
then with ``python -m grading --workers N`` (what ``make grade WORKERS=N`` runs) for each N.
Prints, per run, the wall time, the speed-up over serial, the CPU time of the run and every
process it waited for (kernels included), CPU/wall (cores kept busy), the load average before
and after, and whether every grade equals the serial run's.

    .venv/bin/python benchmarks/grading_throughput.py [--workers 2 3 4] [--per-lesson 10]
                     [--save-chart docs/images/grading-run.png] [--keep DIR]

Not a test: the machine is shared, so figures move with its load (printed alongside). Run it
when `uptime` shows a load well under the number of cores for figures worth quoting.
"""

from __future__ import annotations

import argparse
import copy
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nbgrader.api import Gradebook  # noqa: E402
from nbgrader.utils import is_solution  # noqa: E402

from grading.harness import (build_catalogue, generate_assignment, list_assignments,  # noqa: E402
                             load_mistakes, make_course, write_submission)
from grading.harness.commands import load_config  # noqa: E402
from grading.harness.submissions import read_notebooks, solution_cells  # noqa: E402
from grading.shards import snapshot  # noqa: E402
from tests.adversarial.cases import DEADLOCK, ENDLESS_LOOP  # noqa: E402

LESSONS = 4


def build_class(course: Path, per_lesson: int) -> list[tuple[str, str, str]]:
    """Generate lessons 1-4 in *course* and write the submissions; return (assignment,
    student, what) per submission."""
    lessons = list_assignments(REPO / "source")[:LESSONS]
    make_course(course, REPO / "source", lessons)
    generate_assignment(course)
    written = []
    for number, lesson in enumerate(lessons):
        catalogue = build_catalogue(course, lesson, load_mistakes(REPO / "tests" / "mistakes"
                                                                  / lesson))
        mistakes = sorted(catalogue.mistakes)
        picked = ["solution", "stub"] + _spread(mistakes, per_lesson - 3)
        for student in picked:
            write_submission(course, lesson, student, catalogue.submissions[student])
            written.append((lesson, student, "catalogue"))
        written.append((lesson, *_hostile(course, lesson, number,
                                          catalogue.submissions["solution"])))
    return written


def _spread(items: list[str], count: int) -> list[str]:
    """*count* items spread evenly over the list (all of them when there are fewer)."""
    if count >= len(items):
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def _hostile(course: Path, lesson: str, number: int, solved: dict) -> tuple[str, str]:
    """Odd lessons get a notebook cut off half-way; even ones a deadlock in exercise 1's
    solution cell and an endless loop in exercise 2's (each costs a time limit)."""
    if number % 2:
        folder = write_submission(course, lesson, "hostile-broken-file", solved)
        (folder / next(iter(solved))).write_text('{"cells": [{"cell_type": "code", "source": "')
        return "hostile-broken-file", "hostile"
    name = next(iter(solved))
    nb = copy.deepcopy(solved[name])
    answers = solution_cells(read_notebooks(course / "source" / lesson)[name])
    cells = [c for c in nb.cells if is_solution(c)]
    for cell, payload in zip(cells, (DEADLOCK, ENDLESS_LOOP)):
        cell.source = f"{payload}\n\n{answers[cell.metadata.nbgrader['grade_id']]}"
    write_submission(course, lesson, "hostile-hangs", {**solved, name: nb})
    return "hostile-hangs", "hostile"


def measure(label: str, command: list[str], course: Path) -> dict:
    """Run a grading command in *course*; return its wall and CPU seconds, load and grades."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    load_before = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=course, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    course_id = load_config(course).CourseDirectory.course_id
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id) as gradebook:
        grades = snapshot(gradebook)
    print(f"  {label}: {wall:.0f} s (exit {done.returncode})", flush=True)
    return {"label": label, "wall": wall, "cpu": cpu, "load": (load_before, os.getloadavg()[0]),
            "grades": grades}


def report(runs: list[dict], submissions: int) -> str:
    serial = runs[0]
    cores = len(os.sched_getaffinity(0))
    lines = [f"{submissions} submissions over {LESSONS} lessons, {cores} usable cores",
             f"{'run':<22}{'wall':>9}{'vs serial':>11}{'CPU':>9}{'CPU/wall':>10}"
             f"{'load 1m before->after':>24}  grades",
             "-" * 100]
    for run in runs:
        same = run["grades"] == serial["grades"]
        verdict = ("(reference)" if run is serial else
                   f"identical ({len(run['grades'])})" if same else
                   f"DIFFERENT in {_differences(run['grades'], serial['grades'])}")
        lines.append(f"{run['label']:<22}{run['wall']:>8.0f}s{serial['wall'] / run['wall']:>10.2f}x"
                     f"{run['cpu']:>8.0f}s{run['cpu'] / run['wall']:>10.2f}"
                     f"{run['load'][0]:>15.1f} -> {run['load'][1]:<5.1f}  {verdict}")
    return "\n".join(lines)


def _differences(grades: dict, reference: dict) -> str:
    keys = sorted(set(grades) | set(reference))
    differ = [str(k) for k in keys if grades.get(k) != reference.get(k)]
    return f"{len(differ)} submission(s): {', '.join(differ[:5])}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 3, 4])
    parser.add_argument("--per-lesson", type=int, default=10,
                        help="submissions per lesson (default 10: 40 in all)")
    parser.add_argument("--save-chart", type=Path, default=None,
                        help="copy the chart of the run with the most workers here")
    parser.add_argument("--keep", type=Path, default=None,
                        help="build and grade here, and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="grading-throughput-"))
    try:
        print(f"building the class in {work} (load {os.getloadavg()[0]:.1f})", flush=True)
        written = build_class(work / "template", args.per_lesson)
        hostile = sum(1 for *_, what in written if what == "hostile")
        print(f"  {len(written)} submissions ({hostile} hostile); grading:", flush=True)
        runs = [measure("serial autograde", [sys.executable, "-m", "nbgrader", "autograde", "*"],
                        _fresh(work, "serial"))]
        for workers in args.workers:
            course = _fresh(work, f"workers-{workers}")
            runs.append(measure(f"WORKERS={workers}", [sys.executable, "-m", "grading",
                                                       "--workers", str(workers)], course))
        if args.save_chart:
            args.save_chart.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(work / f"workers-{max(args.workers)}" / "grading-run.png",
                        args.save_chart)
        print()
        print(report(runs, len(written)))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _fresh(work: Path, name: str) -> Path:
    target = work / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(work / "template", target)
    return target


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
