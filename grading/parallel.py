"""Grade a class in N worker processes, each running nbgrader's own autograde.

A worker is a process that loads the course's nbgrader configuration once, then grades one
submission (a student's assignment) at a time with nbgrader's ``Autograde`` converter, exactly
as ``nbgrader autograde <assignment> --student <id> --force`` or the Formgrader's autograde
button would, so every preprocessor, limit and kernel choice of nbgrader_config.py applies. Each
worker has its own Jupyter runtime directory and, for an SQLite course gradebook, its own
gradebook *shard* (a copy of the course's): the parent copies each submission into the run's
gradebook through nbgrader's API as soon as it is finished (:mod:`grading.shards`), so at every
moment the gradebook holds finished submissions only. A PostgreSQL gradebook takes the workers'
writes directly, with no shards.

Grading waits on kernels as much as it computes, so the default is one worker more than there
are usable cores (measured: serial autograde keeps about two thirds of one core busy).

Resumable: a submission whose grades are in the gradebook and whose autograded/ folder exists is
skipped unless ``force`` (nbgrader's own rule for a resubmission applies: a newer submitted
timestamp grades it again). A marker under ``.grading/in-progress/`` is written before a
submission is handed to a worker and removed once its grades are safe, so a run killed half-way
grades again exactly the submissions it was in the middle of.
"""

from __future__ import annotations

import ctypes
import io
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Iterable

from .shards import (Entry, Journal, Submission, copy_gradebook, is_sqlite, merge_gradebooks,
                     sqlite_path, submitted_pairs)

__all__ = ["GRADED", "NOTE", "NOT_GRADED", "STARTING", "Course", "Result", "Report", "GradingError",
           "NbgraderAutograde", "default_workers", "grade", "needs_grading", "settle",
           "start_forkserver", "stop_forkserver"]

# A submission's outcome, as the chart colours it.
GRADED = "graded"
NOTE = "note"  # graded, but worth a look (e.g. a kernel restart), as grading.problems says
NOT_GRADED = "not graded"
STARTING = "starting"  # not an outcome: a worker loading nbgrader, drawn on the chart

STATE_DIR = ".grading"  # under the course root: in-progress markers, worker folders, logs
# A worker that dies this many times in a row without finishing a submission stops the run.
MAX_DEATHS_IN_A_ROW = 3
STOP_GRACE_S = 30  # seconds a worker gets to finish nbgrader's clean-up when the run stops
# Workers are forked from a fresh, single-threaded server process that imported these once:
# each worker then starts in milliseconds instead of paying nbgrader's imports (about 2.6 s of
# CPU) again, and inherits nothing from the parent (its gradebook connection, its threads).
START_METHOD = "forkserver"
PRELOAD = ["grading.parallel", "nbgrader.apps", "nbgrader.converters", "nbgrader.preprocessors",
           "nbclient", "jupyter_client", "ipykernel.kernelspec"]
LOG_FORMAT = "[%(name)s | %(levelname)s] %(message)s"  # nbgrader's, which problems.py reads


class GradingError(RuntimeError):
    """A grading run could not go on (a worker cannot start, the course is busy)."""


@dataclass(frozen=True)
class Course:
    """Where a course keeps its submissions, its output and its grades.

    Attributes:
        root: the course directory (nbgrader_config.py, submitted/, autograded/).
        db_url: the course gradebook (nbgrader's ``CourseDirectory.db_url``).
        course_id: nbgrader's ``CourseDirectory.course_id``.
    """

    root: Path
    db_url: str
    course_id: str

    @classmethod
    def load(cls, root: Path | str) -> "Course":
        """Read the course's settings the way nbgrader does (config files, then root's)."""
        from nbgrader.apps import AutogradeApp

        here = os.getcwd()
        os.chdir(root)  # nbgrader reads nbgrader_config.py from the working directory
        try:
            app = AutogradeApp()
            app.initialize([])
        finally:
            os.chdir(here)
        return cls(Path(app.coursedir.root).resolve(), app.coursedir.db_url,
                   app.coursedir.course_id)

    def submitted(self, submission: Submission) -> Path:
        return self.root / "submitted" / submission.student / submission.assignment

    def autograded(self, submission: Submission) -> Path:
        return self.root / "autograded" / submission.student / submission.assignment

    def marker(self, submission: Submission) -> Path:
        """The file saying this submission is being graded (removed once its grades are safe)."""
        return (self.root / STATE_DIR / "in-progress" / submission.assignment
                / submission.student)


@dataclass
class Result:
    """What grading one submission gave.

    Attributes:
        submission: whose.
        lane: the worker that graded it, e.g. "worker 2".
        start, end: Unix times.
        ok: nbgrader finished it without an error.
        outcome: GRADED, NOTE or NOT_GRADED.
        log: nbgrader's log for it.
    """

    submission: Submission
    lane: str
    start: float
    end: float
    ok: bool
    outcome: str
    log: str = ""

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass
class Report:
    """What a grading run did."""

    results: list[Result] = field(default_factory=list)
    skipped: list[Submission] = field(default_factory=list)
    workers: int = 0
    start: float = 0.0
    end: float = 0.0
    interrupted: bool = False
    left: list[Submission] = field(default_factory=list)  # not started when interrupted
    startups: list[tuple] = field(default_factory=list)  # (lane, launched, ready): Unix times

    @property
    def seconds(self) -> float:
        return self.end - self.start


def default_workers() -> int:
    """Usable cores plus one: a grading worker waits on its kernel about a third of the time."""
    from course.timeline import usable_cores

    return usable_cores() + 1


# --- one submission, the way nbgrader grades it ---------------------------------------------------
class NbgraderAutograde:
    """nbgrader's ``Autograde`` converter for one submission at a time, in this process.

    The course configuration is loaded once (as ``nbgrader autograde`` loads it), with the
    gradebook replaced by *db_url*; each call then runs what ``nbgrader autograde <assignment>
    --student <id> --force`` runs, and returns (no error, the log it wrote).
    """

    def __init__(self, db_url: str) -> None:
        from nbgrader.apps import AutogradeApp
        from traitlets.config import Config

        self.app = AutogradeApp()
        self.app.initialize([])
        self.app.coursedir.db_url = db_url
        if "transport" not in self.app.config.KernelManager:
            # Kernels started at once by several workers race for TCP ports: a port found free
            # is taken by another process before the kernel binds it, and the kernel dies
            # ("Address already in use"). ZMQ's ipc transport (Unix sockets in this worker's
            # runtime directory) has no ports. A course that sets a transport keeps its own.
            runtime = os.environ.get("JUPYTER_RUNTIME_DIR") or tempfile.gettempdir()
            self.app.update_config(Config({"KernelManager": {
                "transport": "ipc", "ip": os.path.join(runtime, "kernel")}}))

    def __call__(self, submission: Submission) -> tuple[bool, str]:
        from nbgrader.converters import Autograde
        from nbgrader.converters.base import NbGraderException
        from nbgrader.utils import temp_attrs

        buffer = io.StringIO()
        handler = logging.StreamHandler(buffer)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        self.app.log.addHandler(handler)
        try:
            with temp_attrs(self.app.coursedir, assignment_id=submission.assignment,
                            student_id=submission.student):
                converter = Autograde(coursedir=self.app.coursedir, parent=self.app)
                converter.force = True
                converter.create_student = True
                converter.start()
            return True, buffer.getvalue()
        except NbGraderException:  # nbgrader has logged why
            return False, buffer.getvalue()
        except Exception:
            self.app.log.error("There was an error processing assignment: %s\n%s",
                               Path(self.app.coursedir.root, "submitted", submission.student,
                                    submission.assignment), traceback.format_exc())
            return False, buffer.getvalue()
        finally:
            self.app.log.removeHandler(handler)


# --- the worker process --------------------------------------------------------------------
@dataclass(frozen=True)
class _Spec:
    root: Path
    db_url: str
    folder: Path
    grader: Callable


def _serve(spec: _Spec, runtime: str, conn) -> None:
    """A worker: grade each submission received until None (or the parent goes away)."""
    _die_with_parent()
    signal.signal(signal.SIGTERM, _interrupt)
    log = open(spec.folder / "nbgrader.log", "a", buffering=1)
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    os.environ["JUPYTER_RUNTIME_DIR"] = runtime
    # nbgrader runs the `alembic` command when it creates a gradebook: this Python's bin/ first
    os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable),
                                          os.environ.get("PATH", "")])
    os.chdir(spec.root)
    try:
        try:
            grader = spec.grader(spec.db_url)
        except Exception:
            conn.send(("fatal", traceback.format_exc()))
            return
        conn.send(("ready", time.time()))
        while (submission := conn.recv()) is not None:
            start = time.time()
            ok, text = grader(submission)
            conn.send(("done", submission, ok, text, start, time.time()))
    except (KeyboardInterrupt, EOFError, BrokenPipeError):
        pass  # stopped: nbgrader has removed what it had half-written
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _die_with_parent() -> None:
    """Ask Linux to send SIGTERM when the parent dies (a killed run leaves no worker)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass


class _Worker:
    """The parent's handle on one worker process."""

    def __init__(self, number: int, spec: _Spec) -> None:
        self.number, self.spec = number, spec
        self.lane = f"worker {number}"
        self.task: Submission | None = None
        self.start = 0.0
        self.deaths = 0
        self.process = self.conn = None
        self.runtime = ""

    def launch(self) -> None:
        context = multiprocessing.get_context(START_METHOD)
        context.set_forkserver_preload(PRELOAD)
        self.launched = time.time()
        # The worker's own runtime directory (connection files, ipc sockets): short, as a Unix
        # socket's path must be; removed by the worker, or by this process if it dies.
        self.runtime = tempfile.mkdtemp(prefix="grading-worker-")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(self.spec, self.runtime, child),
                                       name=f"grading {self.lane}")
        self.process.start()
        child.close()

    def send(self, submission: Submission | None) -> None:
        self.task, self.start = submission, time.time()
        try:
            self.conn.send(submission)
        except OSError:  # the worker is gone: wait() sees its end of the pipe close
            pass

    def stop(self, interrupt: bool) -> None:
        """Let the worker finish nbgrader's clean-up, then make sure it is gone."""
        from .processes import kill_tree

        if self.process is None:
            return
        if self.process.is_alive():
            try:
                if interrupt and self.task is not None:
                    os.kill(self.process.pid, signal.SIGINT)
                self.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            self.process.join(STOP_GRACE_S)
            kill_tree(self.process.pid)
            self.process.join(1)
        shutil.rmtree(self.runtime, ignore_errors=True)


def start_forkserver() -> None:
    """Start the workers' fork server now, so that it imports nbgrader while this process is
    still reading the course (on two cores, the two overlap)."""
    context = multiprocessing.get_context(START_METHOD)
    context.set_forkserver_preload(PRELOAD)
    from multiprocessing import forkserver

    forkserver.ensure_running()


def stop_forkserver() -> None:
    """Stop the workers' fork server and wait for it, when a program has no more runs to make:
    nothing outlives it, and the CPU time of the workers (and their kernels) then counts as
    this process's children's, as a serial run's would."""
    from multiprocessing import forkserver

    stop = getattr(forkserver._forkserver, "_stop", None)  # CPython's own, used by its tests
    if stop is not None:
        stop()


# --- the run ------------------------------------------------------------------------------------
def needs_grading(course: Course, submission: Submission, graded: set[Submission],
                  force: bool = False) -> bool:
    """Whether a run must grade a submission.

    Yes with *force*; when a run was interrupted while grading it; when its grades are not in
    *graded* or its autograded/ folder is missing; when it was submitted again after it was
    graded (a newer timestamp.txt, nbgrader's own rule).
    """
    if force or course.marker(submission).exists() or submission not in graded:
        return True
    folder = course.autograded(submission)
    if not folder.is_dir():
        return True
    new, old = _timestamp(course.submitted(submission)), _timestamp(folder)
    return new is not None and old is not None and new > old


def _timestamp(folder: Path):
    from nbgrader.utils import parse_utc  # nbgrader's reading of timestamp.txt

    path = folder / "timestamp.txt"
    try:
        return parse_utc(path.read_text().strip()) if path.exists() else None
    except (ValueError, OverflowError):
        return None


def grade(course: Course, submissions: Iterable[Submission], *, workers: int | None = None,
          target_url: str | None = None, force: bool = False, scratch: Path | None = None,
          journal: Journal | None = None, progress: Callable | None = None,
          also_graded_in: Iterable[str] = (),
          grader: Callable = NbgraderAutograde) -> Report:
    """Grade submissions in worker processes and put their grades in one gradebook.

    Args:
        course: the course.
        submissions: what to grade (those already graded are skipped unless *force*).
        workers: worker processes (default: usable cores + 1).
        target_url: the gradebook to fill (default: the course's).
        force: grade again what is already graded.
        scratch: the folder for the workers' shards, runtime directories and logs
            (default: .grading/local under the course root).
        journal: where to record each finished submission (for `merge` and its chart).
        progress: ``progress(total)`` returns a :class:`grading.progress.Progress` for the
            submissions to grade, or None for no progress display.
        also_graded_in: other gradebooks whose submissions count as graded (a shard's course).
        grader: a factory ``grader(db_url)`` returning ``grade(submission) -> (ok, log)``,
            called in each worker (default: nbgrader's autograde).

    Returns:
        The Report (outcomes are GRADED or NOT_GRADED; :func:`settle` adds notes).

    Raises:
        GradingError: the workers could not start, or another run is using *scratch*.
        ValueError: workers < 1.
    """
    from nbgrader.api import Gradebook

    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    target_url = target_url or course.db_url
    scratch = Path(scratch or course.root / STATE_DIR / "local")
    report = Report(workers=workers, start=time.time())
    submissions = list(submissions)
    with Gradebook(target_url, course.course_id) as target:
        graded = submitted_pairs(target) | _graded_elsewhere(also_graded_in, course.course_id)
        todo = [s for s in submissions if needs_grading(course, s, graded, force)]
        report.skipped = sorted(set(submissions) - set(todo))
        if todo:
            for student in sorted({s.student for s in todo}):
                target.update_or_create_student(student)  # as autograde does, once, up front
            with _claimed(scratch):
                _run(course, todo, target, target_url, workers, scratch, journal,
                     progress(len(todo)) if progress else None, grader, report)
    report.end = time.time()
    return report


class _Queue:
    """The submissions left, handed out longest assignment first.

    An assignment none of whose submissions was handed out yet goes first, so every assignment
    is tried early; then the assignment whose finished submissions took longest on average (one
    with none finished yet counts as the longest). Ending on the shortest submissions keeps the
    workers from idling while one long submission finishes.
    """

    def __init__(self, submissions: Iterable[Submission]) -> None:
        self.pending: dict[str, deque] = {}
        for submission in submissions:
            self.pending.setdefault(submission.assignment, deque()).append(submission)
        self.seconds: dict[str, list[float]] = {}
        self.started: set[str] = set()

    def __bool__(self) -> bool:
        return any(self.pending.values())

    def __iter__(self):
        return (s for queue in self.pending.values() for s in queue)

    def pop(self) -> Submission:
        order = list(self.pending)
        assignment = max((a for a in order if self.pending[a]),
                         key=lambda a: (a not in self.started, self._mean(a), -order.index(a)))
        self.started.add(assignment)
        return self.pending[assignment].popleft()

    def record(self, submission: Submission, seconds: float) -> None:
        self.seconds.setdefault(submission.assignment, []).append(seconds)

    def _mean(self, assignment: str) -> float:
        done = self.seconds.get(assignment)
        return sum(done) / len(done) if done else float("inf")


def _graded_elsewhere(urls: Iterable[str], course_id: str) -> set[Submission]:
    from nbgrader.api import Gradebook

    found: set[Submission] = set()
    for url in urls:
        with Gradebook(url, course_id) as gradebook:
            found |= submitted_pairs(gradebook)
    return found


class _claimed:
    """Hold *scratch* for this run: two runs sharing worker folders would corrupt them."""

    def __init__(self, scratch: Path) -> None:
        self.lock = scratch / "run.pid"

    def __enter__(self):
        import psutil

        self.lock.parent.mkdir(parents=True, exist_ok=True)
        if self.lock.exists():
            host, _, pid = self.lock.read_text().partition(" ")
            if host == socket.gethostname() and pid.isdigit() and psutil.pid_exists(int(pid)) \
                    and int(pid) != os.getpid():
                raise GradingError(f"another grading run (pid {pid}) is using {self.lock.parent}:"
                                   " wait for it to finish or stop it, then grade again")
        self.lock.write_text(f"{socket.gethostname()} {os.getpid()}")
        return self

    def __exit__(self, *exc):
        self.lock.unlink(missing_ok=True)


def _run(course, todo, target, target_url, workers, scratch, journal, progress, grader,
         report) -> None:
    """Start the workers, hand out submissions one at a time, collect, stop the workers."""
    shards = is_sqlite(target_url)
    pool = []
    for number in range(1, min(workers, len(todo)) + 1):
        folder = scratch / f"worker-{number}"
        folder.mkdir(parents=True, exist_ok=True)
        db_url = target_url
        if shards:  # the worker's own gradebook: a copy of the run's, merged back per submission
            target.db.commit()
            db_url = f"sqlite:///{copy_gradebook(sqlite_path(target_url), folder / 'gradebook.db')}"
        pool.append(_Worker(number, _Spec(course.root, db_url, folder, grader)))
    queue = _Queue(todo)
    interrupted = False
    try:
        for worker in pool:
            worker.launch()
            _hand_out(course, worker, queue, progress)
        while any(w.task is not None for w in pool):
            busy = {w.conn: w for w in pool if w.task is not None}
            for conn in wait(list(busy), timeout=1.0):
                worker = busy[conn]
                message = _message(worker)
                if message is not None and message[0] == "ready":
                    report.startups.append((worker.lane, worker.launched, message[1]))
                    if journal is not None:
                        journal.append(Entry("", "", worker.lane, worker.launched, message[1],
                                             STARTING))
                    continue
                result = _result(course, worker, message)
                if shards and message is not None:  # a dead worker's shard holds nothing done
                    merge_gradebooks(worker.spec.db_url, target, [result.submission],
                                     course.course_id)
                _finish(course, result, journal, progress, report)
                queue.record(result.submission, result.seconds)
                _hand_out(course, worker, queue, progress)
            if progress is not None:
                progress.tick()
    except KeyboardInterrupt:
        interrupted = True
    finally:
        for worker in pool:
            worker.stop(interrupt=interrupted)
        if progress is not None:
            progress.close()
    report.interrupted = interrupted
    report.left = list(queue) + [w.task for w in pool if w.task is not None]


def _hand_out(course, worker, queue, progress) -> None:
    if not queue:
        worker.task = None
        return
    submission = queue.pop()
    marker = course.marker(submission)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"{socket.gethostname()} {os.getpid()} {worker.lane}\n")
    worker.send(submission)
    if progress is not None:
        progress.start()


def _message(worker) -> tuple | None:
    """The worker's next message, or None when it died."""
    try:
        message = worker.conn.recv()
    except (EOFError, ConnectionResetError):
        return None
    if message[0] == "fatal":
        raise GradingError(f"a grading worker could not start nbgrader:\n{message[1]}")
    return message


def _result(course, worker, message) -> Result:
    """The Result of the worker's submission: as it reported, or failed because it died (the
    worker is then replaced)."""
    if message is None:
        return _died(course, worker)
    _, submission, ok, log, start, end = message
    worker.deaths = 0
    graded = ok and course.autograded(submission).is_dir()
    return Result(submission, worker.lane, start, end, ok, GRADED if graded else NOT_GRADED, log)


def _died(course, worker) -> Result:
    from nbgrader.utils import rmtree

    worker.process.join(5)
    code = worker.process.exitcode
    shutil.rmtree(worker.runtime, ignore_errors=True)
    worker.deaths += 1
    if worker.deaths >= MAX_DEATHS_IN_A_ROW:
        raise GradingError(f"grading {worker.lane} died {worker.deaths} times in a row (last "
                           f"exit code {code}): see {worker.spec.folder / 'nbgrader.log'}")
    submission = worker.task
    folder = course.autograded(submission)
    if folder.exists():  # half-written: what nbgrader removes after a failure
        rmtree(str(folder))
    log = (f"[grading | ERROR] There was an error processing assignment: "
           f"{course.submitted(submission)}\nthe grading worker died while grading it "
           f"(exit code {code})\n")
    worker.launch()
    return Result(submission, worker.lane, worker.start, time.time(), False, NOT_GRADED, log)


def _finish(course, result, journal, progress, report) -> None:
    """The submission's grades are safe: record it, clear its marker, count it."""
    if journal is not None:
        journal.append(Entry(result.submission.assignment, result.submission.student,
                             result.lane, result.start, result.end, result.outcome,
                             result.log if result.outcome == NOT_GRADED else ""))
    _unmark(course, result.submission)
    report.results.append(result)
    if progress is not None:
        progress.finish(str(result.submission), result.outcome != NOT_GRADED, result.seconds)


def _unmark(course, submission) -> None:
    """Remove the in-progress marker, and its folders once empty."""
    marker = course.marker(submission)
    marker.unlink(missing_ok=True)
    for folder in (marker.parent, marker.parent.parent):
        try:
            folder.rmdir()
        except OSError:  # not empty: other submissions are in progress
            break


# --- after the run ----------------------------------------------------------------------------
def settle(course: Course, report: Report) -> list:
    """List what could not be graded in the run's scope (grading.problems), and mark each
    result NOTE or NOT_GRADED accordingly.

    Returns:
        The Problems of the run's submissions (graded now or skipped), sorted.
    """
    from .problems import NOTE as NOTE_KIND
    from .problems import find_problems

    scope = {r.submission for r in report.results} | set(report.skipped) | set(report.left)
    logs: dict[str, list[str]] = {}
    for result in report.results:
        logs.setdefault(result.submission.assignment, []).append(result.log)
    problems = []
    for assignment in sorted({s.assignment for s in scope}):
        found = find_problems(course.root, assignment, "\n".join(logs.get(assignment, [])))
        problems += [p for p in found if Submission(assignment, p.student) in scope]
    kinds: dict[Submission, set[str]] = {}
    for problem in problems:
        kinds.setdefault(Submission(problem.assignment, problem.student), set()).add(problem.kind)
    for result in report.results:
        found = kinds.get(result.submission, set())
        if result.outcome == GRADED and found - {NOTE_KIND}:
            result.outcome = NOT_GRADED
        elif result.outcome == GRADED and found:
            result.outcome = NOTE
    return problems
