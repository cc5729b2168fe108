"""The adversarial catalogue: hostile and broken submissions, each with its score and time budget.

A *case* edits a submission built from the release (the correct answer everywhere) so that one
exercise is hostile. It declares:

- ``loses``: NOTHING (every point kept) or EXERCISE (the exercise's points lost, exactly);
- ``budget``: the grading time it may add to a clean submission's (see :class:`Budget`);
- ``message``: text the student's feedback must show when the exercise loses.

Cases are graded in *bundles*: one submission per bundle, one case per exercise (an exercise is
a solution cell and the test cells after it). Each case keeps its effects inside its own exercise
(a patch is undone by a cell after the exercise's tests), so a bundle of five costs one notebook
run instead of five and every exercise still shows its own case's score. Cases in the same slot
stack; only cases that lose NOTHING may share a slot.

Sandbox cases (``sandbox``) try to reach what grading/sandbox.py hides (PROBE: they must find
nothing) or to exhaust what it limits (LIMIT: graded only where the sandbox enforces its limits,
since elsewhere they would hurt the machine).

Broken files (invalid JSON, empty, wrong name, missing) are submissions of their own: they
execute nothing. Per-assignment cases (a hard-coded answer) live in ``<assignment>/*.py`` in the
format of tests/mistakes/.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Callable

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell

NOTHING = "nothing"
EXERCISE = "exercise"
NOT_GRADED = "not graded"  # no grade at all: listed loudly, empty in the export
MISSING = "missing"  # the notebook is absent: scored 0, listed loudly
ZERO = "zero"  # graded, 0 in every exercise

RESTART_S = 10.0  # a fresh kernel, its seal, and killing what the old one left

PROBE = "probe"  # a sandbox case that must reach nothing
LIMIT = "limit"  # a sandbox case that must stop at a limit
TCP_PORT = "ADVERSARIAL_TCP_PORT"  # a port the tests listen on at 127.0.0.1 (nbgrader's env)


@dataclass(frozen=True)
class Budget:
    """The grading time a case may add to a clean submission of the same assignment.

    Attributes:
        timeouts: solution-cell time limits it may use up (each plus the interrupt grace).
        restarts: kernel restarts it may cause (each: a fresh kernel plus the cells above
            running again, which costs at most a clean run).
        seconds: anything else (printing, starting and killing processes).
    """

    timeouts: int = 0
    restarts: int = 0
    seconds: float = 2.0

    def extra(self, solution_timeout: float, interrupt_grace: float, clean: float) -> float:
        """Seconds over the clean submission's time, for the course's execution limits."""
        return (self.timeouts * (solution_timeout + interrupt_grace)
                + self.restarts * (RESTART_S + clean) + self.seconds)


@dataclass(frozen=True)
class Exercise:
    """Where an exercise sits in a submission (indexes into its cells, at build time)."""

    number: int  # 1-based
    solution: NotebookNode  # the solution cell
    tests: list[NotebookNode]  # its grade cells
    answer: str  # the correct answer (from source)
    stub: str  # the released stub


@dataclass(frozen=True)
class Case:
    """One hostile submission pattern, applied to one exercise of a submission.

    Attributes:
        name: identifier (test ids).
        what: one line for people reading a failure.
        loses: NOTHING or EXERCISE (or, for broken files, NOT_GRADED, MISSING or ZERO).
        budget: extra grading time allowed.
        build: edits the submission notebook in place, given the exercise.
        message: what the feedback must show when the exercise loses ("" for no check).
        exercise: the exercise it must sit in (1-based), or None for any.
        targets: for an assignment's own case, the solution cells it rewrites: it sits in
            their exercise. ``loses`` is then the points it loses there.
        sandbox: PROBE or LIMIT for a case about the sandbox, else "".
    """

    name: str
    what: str
    loses: str | float
    budget: Budget
    build: Callable[[NotebookNode, Exercise], None] = field(repr=False)
    message: str = ""
    exercise: int | None = None
    targets: tuple[str, ...] = ()
    sandbox: str = ""


# --- building blocks -------------------------------------------------------------------------
def _prepend(payload: str) -> Callable:
    """The payload runs first in the solution cell, so the answer below it is never defined."""
    def build(nb, ex):
        ex.solution.source = f"{payload}\n\n{ex.answer}"
    return build


def _append(payload: str) -> Callable:
    """The answer is defined, then the payload runs."""
    def build(nb, ex):
        ex.solution.source = f"{ex.answer}\n\n{payload}"
    return build


def _patch(payload: str, undo: str) -> Callable:
    """Patch after the answer; undo it in a cell of the student's own after the exercise's tests,
    so only this exercise runs patched."""
    def build(nb, ex):
        ex.solution.source = f"{ex.answer}\n\n{payload}"
        _insert_after(nb, ex.tests[-1], new_code_cell(undo))
    return build


def _insert_after(nb, anchor, cell) -> None:
    index = next(i for i, c in enumerate(nb.cells) if c is anchor)
    nb.cells.insert(index + 1, cell)


def _remove(nb, cells) -> None:
    nb.cells[:] = [c for c in nb.cells if not any(c is x for x in cells)]


# --- crashes and hangs: the solution cell never gets to define the answer ---------------------
DEADLOCK = """\
import threading
_lock = threading.Lock()
_lock.acquire()
_lock.acquire()  # waits for itself: this cell never finishes"""

ENDLESS_LOOP = """\
while True:  # pure Python: the interrupt stops it
    pass"""

SIGINT_IGNORING_LOOP = """\
import itertools
sum(itertools.repeat(1))  # a loop in C that never checks for the interrupt"""

# --- floods and leaks: the answer is right, then the cell misbehaves -------------------------
OUTPUT_FLOOD = """\
for _ in range(1_000_000):
    print("x" * 99)  # 100 MB of output"""

LEAKED_THREADS = """\
import threading
for _ in range(4):  # never joined and not daemon: a plain script would never exit
    threading.Thread(target=threading.Event().wait, name="leaked").start()"""

LEAKED_POOL = """\
import multiprocessing
_pool = multiprocessing.Pool(2)  # never closed or joined
_pool.map(abs, range(8))"""

SLEEPING_CHILDREN = """\
import subprocess
_children = [subprocess.Popen(["sleep", "600"]) for _ in range(200)]
# and one that leaves the kernel's process group, out of reach of a process-group kill
_children.append(subprocess.Popen(["sleep", "600"], start_new_session=True))"""

# --- fake passes: replace what the tests rely on ---------------------------------------------
PATCH_LOCK = """\
import threading
_real_lock = threading.Lock
threading.Lock = threading.RLock  # a lock its holder can take again: a self-deadlock passes"""

PATCH_SLEEP = """\
import time
_real_sleep = time.sleep
time.sleep = lambda seconds: None"""

PATCH_PERF_COUNTER = """\
import time
_real_perf_counter = time.perf_counter
time.perf_counter = lambda: 0.0"""

PATCH_CHECKS = """\
from course import testing as _checks
_real_checks = {name: getattr(_checks, name)
                for name in ("assert_equal", "finishes_within", "verify_fingerprint")}
_checks.assert_equal = lambda *args, **kwargs: None
_checks.finishes_within = lambda fn, seconds, *args, **kwargs: fn(*args, **kwargs)
_checks.verify_fingerprint = lambda saved: None
_grading_fingerprint = _checks.fingerprint()  # a fresh "identity", taken after the patch"""

UNDO_PATCH_CHECKS = """\
for _name, _value in _real_checks.items():
    setattr(_checks, _name, _value)
_grading_fingerprint = _checks.fingerprint()"""

PATCH_BEFORE_SETUP = """\
import course.testing
_real_assert_equal = course.testing.assert_equal
course.testing.assert_equal = lambda *args, **kwargs: None  # before the setup cell notes it"""


UNDO_PATCH_BEFORE_SETUP = """\
course.testing.assert_equal = _real_assert_equal
_grading_fingerprint = course.testing.fingerprint()  # the setup cell's was taken while patched"""


def _patch_before_setup(nb, ex):
    ex.solution.source = ex.answer
    nb.cells.insert(0, new_code_cell(PATCH_BEFORE_SETUP))
    _insert_after(nb, ex.tests[-1], new_code_cell(UNDO_PATCH_BEFORE_SETUP))


# --- edited cells and metadata ---------------------------------------------------------------
def _edit_tests(nb, ex):
    ex.solution.source = ex.stub
    for cell in ex.tests:
        cell.source = "pass  # the test, edited away"


def _delete_tests(nb, ex):
    ex.solution.source = ex.answer
    _remove(nb, ex.tests)


def _reorder_tests(nb, ex):
    ex.solution.source = ex.answer
    _remove(nb, ex.tests)
    index = next(i for i, c in enumerate(nb.cells) if c is ex.solution)
    nb.cells[index:index] = ex.tests


def _skip_by_metadata(nb, ex):
    ex.solution.source = ex.stub
    for i, cell in enumerate(ex.tests):
        cell.metadata["tags"] = ["skip-execution"]  # nbclient skips it: no error, full marks
        if i == 0:
            cell.metadata.nbgrader["grade"] = False  # not a test any more
        else:
            cell.metadata.nbgrader["points"] = 100


def _swap_metadata(nb, ex):
    ex.solution.source = ex.answer
    first = ex.tests[0]
    ex.solution.metadata.nbgrader, first.metadata.nbgrader = (
        copy.deepcopy(first.metadata.nbgrader), copy.deepcopy(ex.solution.metadata.nbgrader))


# --- the sandbox (grading/sandbox.py): what a submission must not reach, limits it must hit -----
# The kernel starts in <course>/autograded/<student>/<assignment>; the course package is imported
# from the repository (an editable install). Each probe says what it found, then raises, so the
# exercise loses its points either way.
FOUND_NOTHING = "probe: found nothing"
_PROBE_HEAD = """\
import os, pathlib
import course
_course_root = pathlib.Path.cwd().parents[2]
_repository = pathlib.Path(course.__file__).resolve().parents[1]
_found = []


def _readable(path):
    try:
        with open(path, "rb") as file:
            file.read(1)
        return True
    except OSError:
        return False


def _files(top):
    for folder, _, names in os.walk(top):
        for name in names:
            yield os.path.join(folder, name)
"""
_PROBE_TAIL = f"""
raise RuntimeError(f"probe FOUND {{len(_found)}}: {{_found[:3]}}" if _found
                   else "{FOUND_NOTHING}")"""


def _probe(body: str) -> str:
    return _PROBE_HEAD + body + _PROBE_TAIL


READ_SOURCE = _probe("""
for _top in (_course_root / "source", _repository / "source", _repository / "tests"):
    _found += [path for path in _files(_top) if _readable(path)]
# autograde puts the hidden tests back into the notebooks it grades, in the working folder
for _path in _files("."):
    if _readable(_path) and b"HIDDEN TESTS" in open(_path, "rb").read():
        _found.append(_path)
""")

READ_GRADEBOOK = _probe("""
_found += [str(path) for path in (_course_root / "gradebook.db", _repository / "gradebook.db")
           if _readable(path)]
""")

READ_SUBMISSIONS = _probe("""
_own = os.path.realpath(".")
for _top in ("submitted", "autograded", "feedback", "release", "exchange"):
    _found += [path for path in _files(_course_root / _top)
               if not os.path.realpath(path).startswith(_own) and _readable(path)]
_found += [path for path in _files("/srv/nbgrader/exchange") if _readable(path)]
""")

WRITE_COURSE = _probe("""
for _path in [*_files(_course_root / "source"), _course_root / "nbgrader_config.py"]:
    try:
        with open(_path, "r+b") as _file:  # an existing file only: never a new one
            _file.seek(0, 2)
            _file.write(b"\\n# appended by a submission\\n")
        _found.append(str(_path))
    except OSError:
        pass
""")

CONNECT_TCP = _probe(f"""
import socket
_port = int(os.environ.get("{TCP_PORT}", "9"))
for _host in ("127.0.0.1", "localhost"):
    try:
        with socket.create_connection((_host, _port), timeout=2) as _connection:
            _connection.sendall(b"a submission got out")
        _found.append(f"{{_host}}:{{_port}}")
    except OSError:
        pass
""")

FILL_DISK = """\
with open("filler.bin", "wb") as _file:
    for _ in range(1024):  # 1 GiB, far past the space of the sandbox's writable folder
        _file.write(b"x" * (1 << 20))
        _file.flush()"""

ALLOCATE_MEMORY = """\
_hoard = []
for _ in range(256):  # 32 GiB in blocks of 128 MiB, every page written to, far past the limit
    _block = bytearray(128 << 20)
    memoryview(_block)[::4096] = b"x" * (len(_block) // 4096)
    _hoard.append(_block)"""

# The forks come from a small helper process: forking the kernel itself (100 MB and more) costs
# a millisecond or more each, seconds under load. Its children sleep, holding process slots;
# the helper prints how many it made, and keeps them.
FORK_HELPER = "\n".join([
    "import os, time",
    "children = 0",
    "try:",
    "    for _ in range(10_000):",
    "        if os.fork() == 0:",
    "            try:",
    "                time.sleep(600)",
    "            finally:",
    "                os._exit(0)",
    "        children += 1",
    "finally:",
    "    print(children, flush=True)",
    "    time.sleep(600)",
])

FORK_BOMB = f"""\
import os, subprocess, sys
_before_bomb = sum(name.isdigit() for name in os.listdir("/proc"))
_bomb = subprocess.Popen([sys.executable, "-c", {FORK_HELPER!r}], stdout=subprocess.PIPE,
                         text=True, start_new_session=True)
raise RuntimeError(f"forked {{_bomb.stdout.readline().strip()}} of 10,000 processes")"""

UNDO_FORK_BOMB = """\
import os, signal, time
os.killpg(_bomb.pid, signal.SIGKILL)  # the helper and its sleepers: one process group
_bomb.wait()
# The sleepers are reaped by the sandbox's init, not here: wait until their slots are free
# again, or the next exercise would still find the process limit reached.
_deadline = time.monotonic() + 10
while (sum(name.isdigit() for name in os.listdir("/proc")) > _before_bomb + 5
       and time.monotonic() < _deadline):
    time.sleep(0.05)"""


def _fork_bomb(nb, ex):
    """Fork 10,000 sleepers; a cell after the tests kills them (as a patch is undone), so only
    this exercise runs with every process slot taken."""
    ex.solution.source = f"{FORK_BOMB}\n\n{ex.answer}"
    _insert_after(nb, ex.tests[-1], new_code_cell(UNDO_FORK_BOMB))


TIMED_OUT = "was interrupted: deadlock or endless loop?"
MODIFIED = "the grading helpers were modified"

CASES = [
    Case("deadlock", "a solution cell that waits for a lock it holds", EXERCISE,
         Budget(timeouts=1), _prepend(DEADLOCK), TIMED_OUT),
    Case("endless_loop", "a solution cell with `while True: pass`", EXERCISE,
         Budget(timeouts=1), _prepend(ENDLESS_LOOP), TIMED_OUT),
    Case("sigint_ignoring_loop", "sum(itertools.repeat(1)): a C loop deaf to the interrupt",
         EXERCISE, Budget(timeouts=1, restarts=1), _prepend(SIGINT_IGNORING_LOOP),
         "ignored the interrupt"),
    Case("kernel_exit", "os._exit(0): the kernel dies", EXERCISE, Budget(restarts=1),
         _prepend("import os\nos._exit(0)"), "the kernel died"),
    Case("sys_exit", "sys.exit() in a solution cell", EXERCISE, Budget(),
         _prepend("import sys\nsys.exit()"), "SystemExit"),
    Case("keyboard_interrupt", "raise KeyboardInterrupt in a solution cell", EXERCISE, Budget(),
         _prepend("raise KeyboardInterrupt"), "KeyboardInterrupt"),
    Case("output_flood", "prints 100 MB after a right answer", NOTHING,
         Budget(timeouts=1), _append(OUTPUT_FLOOD)),
    Case("leaked_threads", "starts 4 non-daemon threads that never end", NOTHING,
         Budget(seconds=10), _append(LEAKED_THREADS)),
    Case("leaked_pool", "starts a process pool and never closes it", NOTHING,
         Budget(seconds=5), _append(LEAKED_POOL)),
    Case("sleeping_children", "starts 200 sleeping child processes, one in its own session",
         NOTHING, Budget(seconds=15), _append(SLEEPING_CHILDREN)),
    Case("patch_lock", "replaces threading.Lock by RLock (re-entrant)", EXERCISE,
         Budget(), _patch(PATCH_LOCK, "threading.Lock = _real_lock"),
         f"{MODIFIED}: threading.Lock was replaced"),
    Case("patch_sleep", "replaces time.sleep by a no-op", EXERCISE, Budget(),
         _patch(PATCH_SLEEP, "time.sleep = _real_sleep"), f"{MODIFIED}: time.sleep was replaced"),
    Case("patch_perf_counter", "replaces time.perf_counter by a constant", EXERCISE, Budget(),
         _patch(PATCH_PERF_COUNTER, "time.perf_counter = _real_perf_counter"),
         f"{MODIFIED}: time.perf_counter was replaced"),
    Case("patch_checks", "replaces course.testing helpers, verify_fingerprint included, and "
         "takes a new fingerprint", EXERCISE, Budget(), _patch(PATCH_CHECKS, UNDO_PATCH_CHECKS),
         "course.testing.verify_fingerprint were replaced"),
    Case("patch_before_setup", "a cell above the setup cell patches course.testing, so the "
         "setup cell's fingerprint includes the patch", EXERCISE, Budget(), _patch_before_setup,
         f"{MODIFIED}: course.testing.assert_equal was replaced", exercise=1),
    Case("edit_tests", "stub answer; every test cell of the exercise edited to `pass`", EXERCISE,
         Budget(), _edit_tests, "NotImplementedError"),
    Case("delete_tests", "right answer; the exercise's test cells deleted (they are put back)",
         NOTHING, Budget(), _delete_tests),
    Case("reorder_tests", "right answer; the test cells moved above the solution cell",
         EXERCISE, Budget(), _reorder_tests, "NameError"),
    Case("skip_by_metadata", "stub answer; tests tagged skip-execution, one marked not graded, "
         "others worth 100 points", EXERCISE, Budget(), _skip_by_metadata, "NotImplementedError"),
    Case("swap_metadata", "right answer; the solution cell and its first test swap nbgrader "
         "metadata", EXERCISE, Budget(), _swap_metadata),
]
CASES += [
    Case("read_source", "reads every file of source/ (the course's and the repository's) and "
         "the hidden tests autograde puts back into the notebooks it grades", EXERCISE, Budget(),
         _prepend(READ_SOURCE), FOUND_NOTHING, sandbox=PROBE),
    Case("read_gradebook", "reads gradebook.db (the course's and the repository's)", EXERCISE,
         Budget(), _prepend(READ_GRADEBOOK), FOUND_NOTHING, sandbox=PROBE),
    Case("read_submissions", "reads other students' submissions, grades and feedback, and the "
         "exchange", EXERCISE, Budget(), _prepend(READ_SUBMISSIONS), FOUND_NOTHING,
         sandbox=PROBE),
    Case("write_course", "appends to every file of source/ and to nbgrader_config.py", EXERCISE,
         Budget(), _prepend(WRITE_COURSE), FOUND_NOTHING, sandbox=PROBE),
    Case("connect_tcp", "connects to a port the tests listen on at 127.0.0.1", EXERCISE,
         Budget(seconds=6), _prepend(CONNECT_TCP), FOUND_NOTHING, sandbox=PROBE),
    Case("fill_disk", "writes 1 GiB into its working folder", EXERCISE, Budget(seconds=10),
         _prepend(FILL_DISK), "the sandbox's space is full", sandbox=LIMIT),
    Case("allocate_memory", "allocates 32 GiB, 128 MiB at a time", EXERCISE,
         Budget(restarts=1, seconds=10), _prepend(ALLOCATE_MEMORY), "memory limit",
         sandbox=LIMIT),
    Case("fork_bomb", "forks 10,000 sleeping processes", EXERCISE, Budget(seconds=20),
         _fork_bomb, "processes and threads was reached", sandbox=LIMIT),
]
BY_NAME = {case.name: case for case in CASES}

# One submission per bundle; one slot per exercise, in order (a case with a fixed exercise takes
# its own). "hard_coded" is each assignment's own case (<assignment>/hard_coded.py).
BUNDLES = {
    "crashes": [["sigint_ignoring_loop"], ["kernel_exit"], ["deadlock"], ["endless_loop"],
                ["sys_exit"]],
    "leaks": [["keyboard_interrupt"], ["output_flood"],
              ["leaked_threads", "leaked_pool", "sleeping_children"], ["hard_coded"]],
    "patches": [["patch_before_setup"], ["patch_lock"], ["patch_sleep"], ["patch_perf_counter"],
                ["patch_checks"]],
    "snoops": [["read_source"], ["read_gradebook"], ["read_submissions"], ["write_course"],
               ["connect_tcp"]],
    "bombs": [["allocate_memory"], ["fill_disk"], ["fork_bomb"]],
    "cells": [["edit_tests"], ["delete_tests"], ["reorder_tests"], ["skip_by_metadata"],
              ["swap_metadata"]],
}


@dataclass(frozen=True)
class BrokenFile:
    """A submission whose notebook file is broken: nothing of it executes.

    Attributes:
        name: identifier; the student id is ``broken-<name>``.
        what: one line for people.
        outcome: NOT_GRADED, MISSING or ZERO.
        write: writes the submission's notebook(s) into the folder, given the release notebook's
            file name and the release notebook.
    """

    name: str
    what: str
    outcome: str
    write: Callable = field(repr=False)


def _write_text(text: str) -> Callable:
    def write(folder, name, release):
        (folder / name).write_text(text)
    return write


def _write_no_cells(folder, name, release):
    import nbformat

    nb = copy.deepcopy(release)
    nb.cells = []
    nbformat.write(nb, folder / name)


def _write_renamed(folder, name, release):
    import nbformat

    nbformat.write(release, folder / name.replace(".ipynb", "-Copy1.ipynb"))
    (folder / name).unlink()


def _write_missing(folder, name, release):
    (folder / name).unlink()


BROKEN_FILES = [
    BrokenFile("invalid_json", "a notebook cut off half-way: not valid JSON", NOT_GRADED,
               _write_text('{"cells": [{"cell_type": "code", "source": "x = ')),
    BrokenFile("empty_file", "a notebook file of 0 bytes", NOT_GRADED, _write_text("")),
    BrokenFile("no_cells", "a valid notebook with no cells", ZERO, _write_no_cells),
    BrokenFile("wrong_name", "the notebook saved under another name", NOT_GRADED, _write_renamed),
    BrokenFile("missing", "the folder without its notebook", MISSING, _write_missing),
]
