"""``python -m grading``: grade a class fast, on one machine or as shards, then say what failed.

    python -m grading [grade] [ASSIGNMENT ...] [--workers N] [--shard i/N] [--force]
                      [--student ID ...] [--root COURSE_DIR] [--scratch DIR] [--no-chart]
    python -m grading merge [SHARD.db ...] [--root COURSE_DIR] [--no-chart]

``grade`` (the default command) autogrades every submission under submitted/ (or those of the
given assignments and students) in N worker processes, each running nbgrader's own autograde
for one submission at a time (grading/parallel.py), with a progress bar. A submission already
graded is skipped unless ``--force``, so a run that was stopped or killed finishes the class
when started again. ``--shard i/N`` grades only the i-th of N deterministic slices of the class
into a gradebook shard of its own (gradebook-shards/), for a cluster's job array; ``merge``
copies every shard into the course gradebook through nbgrader's API.

Afterwards it prints one line per notebook that could not be graded, naming the student and the
reason (invalid JSON, a renamed or missing notebook, a kernel that could not run it), plus notes
on graded notebooks whose kernel had to be restarted, and draws the run (grading-run.png, next to
the export). It exits 1 when any notebook was not graded or is missing, so a grading run never
ends in a silent 0 (`nbgrader export` shows the same reasons), and 130 when interrupted.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

__all__ = ["main", "listing", "status"]

COMMANDS = ("grade", "merge")
INTERRUPTED = 130


def main(argv: list[str]) -> int:
    """Run a command and return the exit status."""
    argv = list(argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "grade")  # `python -m grading [ASSIGNMENT ...]` grades, as it always did
    args = _parser().parse_args(argv)
    root = Path(args.root).resolve()
    if not (root / "nbgrader_config.py").exists():
        print(f"error: {root} is not a course directory (no nbgrader_config.py): run from the "
              "course root or pass --root")
        return 2
    return _grade(root, args) if args.command == "grade" else _merge(root, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m grading", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="autograde submissions in worker processes")
    grade.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                       help="assignments to grade (default: every one submitted)")
    grade.add_argument("--workers", type=_positive, default=None,
                       help="worker processes (default: usable cores + 1)")
    grade.add_argument("--shard", default=None, metavar="i/N",
                       help="grade only the i-th of N slices, into gradebook-shards/ (0-based)")
    grade.add_argument("--force", action="store_true", help="grade again what is graded")
    grade.add_argument("--student", action="append", default=[], metavar="ID",
                       help="only this student (repeatable; shell patterns allowed)")
    grade.add_argument("--scratch", default=None, metavar="DIR",
                       help="folder for the workers' gradebooks and logs (default: .grading/)")
    merge = commands.add_parser("merge", help="merge gradebook shards into the course's")
    merge.add_argument("shards", nargs="*", metavar="SHARD.db",
                       help="shard gradebooks (default: every gradebook-shards/shard-*.db)")
    for sub in (grade, merge):
        sub.add_argument("--root", default=".", help="the course directory (default: here)")
        sub.add_argument("--no-chart", dest="chart", action="store_false",
                         help="do not draw the chart of the run")
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"workers must be >= 1 (got {value})")
    return value


# --- grade ----------------------------------------------------------------------------------------
def _grade(root: Path, args) -> int:
    from .shards import Shard

    try:
        shard = Shard.parse(args.shard) if args.shard is not None else None
    except ValueError as error:
        print(f"error: {error}")
        return 2
    os.chdir(root)  # nbgrader reads its configuration from the working directory
    from .parallel import Course, start_forkserver, stop_forkserver

    start_forkserver()  # it loads nbgrader for the workers while this process reads the course
    try:
        return _grade_in(root, shard, args, Course.load(root))
    finally:
        stop_forkserver()


def _grade_in(root: Path, shard, args, course) -> int:
    from .parallel import STATE_DIR, GradingError, grade, settle
    from .progress import Progress
    from .run_chart import CHART
    from .shards import SHARD_DIR, Journal, class_list

    submissions = class_list(root / "submitted", args.assignments, args.student)
    if not submissions:
        print("nothing to grade: submitted/<student>/<assignment>/ is empty")
        return 0
    scratch = Path(args.scratch).resolve() if args.scratch else None
    options = dict(workers=args.workers, force=args.force, progress=Progress, scratch=scratch)
    chart = root / CHART
    if shard is not None:
        submissions = shard.select(submissions)
        options["scratch"] = scratch or root / STATE_DIR / shard.name
        options.update(_shard_target(course, root, shard))
        options["journal"] = Journal(root / SHARD_DIR / f"{shard.name}.jsonl")
        chart = root / SHARD_DIR / f"{shard.name}.png"
    try:
        with _terminated_as_interrupt():
            report = grade(course, submissions, **options)
    except GradingError as error:
        print(f"error: {error}")
        return 1
    problems = settle(course, report)
    failed = _unexplained(report, problems)
    print(headline(report, shard))
    if args.chart and report.results:
        _chart(report, chart, shard)
    print(listing(problems, failed))
    return INTERRUPTED if report.interrupted else status(problems, failed)


def _shard_target(course, root: Path, shard) -> dict:
    """A shard grades into its own copy of an SQLite gradebook (made on first use; a submission
    graded in the course's counts as graded), or straight into a server's gradebook."""
    from .shards import SHARD_DIR, copy_gradebook, is_sqlite, sqlite_path

    if not is_sqlite(course.db_url):
        return {}
    path = root / SHARD_DIR / f"{shard.name}.db"
    if not path.exists():
        copy_gradebook(sqlite_path(course.db_url), path)
    return {"target_url": f"sqlite:///{path}", "also_graded_in": [course.db_url]}


class _terminated_as_interrupt:
    """Treat SIGTERM (scancel, kill, a Kubernetes pod stopping) like Ctrl-C: stop the workers
    cleanly and keep every grade already finished."""

    def __enter__(self):
        self.previous = signal.signal(signal.SIGTERM, self._raise)

    def __exit__(self, *exc):
        signal.signal(signal.SIGTERM, self.previous)

    @staticmethod
    def _raise(signum, frame):
        raise KeyboardInterrupt


def _unexplained(report, problems) -> list[str]:
    """nbgrader failures that grading.problems found no reason for."""
    serious = {(p.assignment, p.student) for p in problems if p.serious}
    return [f"nbgrader autograde failed on {r.submission}: see its log in .grading/"
            for r in report.results
            if not r.ok and (r.submission.assignment, r.submission.student) not in serious]


def headline(report, shard=None) -> str:
    """One paragraph: what the run graded, skipped and left, in how long, with how many
    workers."""
    from .parallel import NOT_GRADED
    from .progress import duration

    done = len(report.results)
    failed = sum(1 for r in report.results if r.outcome == NOT_GRADED)
    where = f" (shard {shard})" if shard is not None else ""
    lines = [f"Graded {done - failed} of {done} submission(s){where} in "
             f"{duration(report.seconds)} with {report.workers} worker(s)."]
    if report.skipped:
        lines.append(f"Skipped {len(report.skipped)} already graded (--force grades them "
                     "again).")
    if report.interrupted:
        lines.append(f"Interrupted: {len(report.left)} submission(s) not finished; grade again "
                     "to finish the class (what was graded is kept).")
    return "\n".join(lines)


def _chart(report, path: Path, shard=None) -> None:
    from .run_chart import STARTING, save_chart

    spans = [(lane, start, end, STARTING) for lane, start, end in report.startups]
    spans += [(r.lane, r.start, r.end, r.outcome) for r in report.results]
    title = "Grading run" + (f", shard {shard}" if shard is not None else "")
    print(f"Chart of the run: {save_chart(spans, path, title=title)}")


# --- merge ----------------------------------------------------------------------------------------
def _merge(root: Path, args) -> int:
    os.chdir(root)
    from nbgrader.api import Gradebook

    from .parallel import NOT_GRADED, Course
    from .problems import find_problems
    from .run_chart import CHART, STARTING, save_chart
    from .shards import SHARD_DIR, Journal, class_list, is_sqlite, merge_gradebooks

    course = Course.load(root)
    databases = [Path(p).resolve() for p in args.shards] or sorted(
        (root / SHARD_DIR).glob("shard-*.db"))
    journals = {path.with_suffix(".jsonl") for path in databases}
    if not args.shards:
        journals |= set((root / SHARD_DIR).glob("shard-*.jsonl"))
    if not journals:
        print(f"nothing to merge: no shard in {root / SHARD_DIR}")
        return 0
    spans, logs, merged = [], {}, 0
    with Gradebook(course.db_url, course.course_id) as target:
        for journal in sorted(journals):
            entries = Journal(journal).entries()
            database = journal.with_suffix(".db")
            if database.exists() and is_sqlite(course.db_url):
                unique = list(dict.fromkeys(e.submission for e in entries
                                            if e.outcome != STARTING))
                merged += len(merge_gradebooks(f"sqlite:///{database}", target, unique,
                                               course.course_id))
            label = journal.stem.replace("-of-", "/").replace("shard-", "shard ")
            spans += [(f"{label} {e.lane}", e.start, e.end, e.outcome) for e in entries]
            for e in entries:
                if e.outcome == NOT_GRADED:
                    logs.setdefault(e.assignment, []).append(e.log)
    for path in [*journals, *(j.with_suffix(".db") for j in journals)]:
        if path.exists():  # merged: a shard run again starts afresh from the course gradebook
            path.rename(path.with_name(path.name + ".merged"))
    print(f"Merged {merged} submission(s) from {len(journals)} shard(s) into {course.db_url}.")
    if args.chart and spans:
        print(f"Chart of the run: {save_chart(spans, root / CHART, title='Grading run, merged')}")
    problems = []
    for assignment in sorted({s.assignment for s in class_list(root / "submitted")}):
        problems += find_problems(root, assignment, "\n".join(logs.get(assignment, [])))
    print(listing(problems, []))
    return status(problems, [])


# --- the report -----------------------------------------------------------------------------------
def listing(problems, failed: list[str]) -> str:
    """The report printed after grading: every problem on a line of its own."""
    serious = [p for p in problems if p.serious]
    notes = [p for p in problems if not p.serious]
    lines = ["", "=" * 79]
    if not serious and not failed:
        lines.append("Every submitted notebook was graded.")
    else:
        lines.append(f"NOT GRADED OR MISSING: {len(serious)} notebook(s). Fix and grade again "
                     "(python -m grading <assignment> --force --student <id>):")
        lines += [f"  {p}" for p in serious] + [f"  {text}" for text in failed]
    if notes:
        lines.append("Graded, worth a look:")
        lines += [f"  {p}" for p in notes]
    return "\n".join(lines)


def status(problems, failed: list[str]) -> int:
    """1 when a notebook went ungraded or missing, or nbgrader failed; else 0."""
    return 1 if failed or any(p.serious for p in problems) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
