"""Autograding that survives hostile and broken submissions: small extensions of nbgrader.

A class of 300 sends every kind of broken notebook. nbgrader's defaults let one of them cost
minutes or hide a failure (design.md section 5); nbgrader_config.py puts these subclasses in
nbgrader's own preprocessor lists to close those gaps:

- :class:`GuardedExecute` (autograde) is nbgrader's ``Execute`` plus:
  a shorter time limit for solution cells (they define functions); a cell that ignores the
  interrupt after its time limit, or kills the kernel, gets a fresh kernel on which the cells
  above it run again (their first outputs are kept), so it costs one time limit, not one per
  remaining cell; a time budget for the whole notebook; a cap on printed output; a *seal*,
  taken as the kernel starts, that fails a graded cell when the helpers the tests rely on were
  replaced; and every process the kernel started is killed when it is done, found by a marker
  in its environment, even one that left the kernel's process group.
- :class:`RestoreCells` (sanitize) is nbgrader's ``OverwriteCells`` plus: nbgrader metadata of
  unknown, broken or duplicated cells is dropped; every flag comes from the gradebook; tags of
  locked cells are dropped (``skip-execution`` on a test would score it full marks: a cell with
  no error output passes); every missing locked cell is put back, the setup cell included.
- :class:`ProblemsCsvExport` (export) is nbgrader's CSV export plus a ``problem`` column: a
  notebook that could not be autograded gets an empty score and the reason, never a silent 0.
- :func:`find_problems` lists, after autograde, what could not be graded and why
  (scripts/grade.py prints it and exits non-zero).

This module imports nbgrader, which takes seconds: ``import course`` does not import it. Code
that runs inside the kernel (:func:`_kernel_seal`) imports only ``course``.
"""

from __future__ import annotations

import copy
import csv
import inspect
import json
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

import nbformat
from jupyter_core.utils import ensure_async, run_sync
from nbclient.client import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output
from nbgrader.api import Gradebook
from nbgrader.plugins import CsvExportPlugin
from nbgrader.preprocessors import Execute, OverwriteCells
from nbgrader.utils import is_grade, is_solution
from traitlets import Float, Integer

__all__ = [
    "MARKER", "GuardedExecute", "RestoreCells", "ProblemsCsvExport", "Problem", "find_problems",
    "kill_marked", "unreadable",
]

# Environment variable carrying a per-kernel token: every process a kernel starts inherits it,
# including those that leave its process group (setsid), so they can be found and killed.
MARKER = "COURSE_GRADING_KERNEL"
MODIFIED = "the grading helpers were modified"
_TIMEOUT = "CellTimeoutError"
_KERNEL = "KernelRestarted"
_UNRUN = "CellNotRun"
_HINT = ("Hint: restart the kernel and run all cells, and do not reassign functions of time, "
         "threading or course in your code.")


class KernelIgnoredInterrupt(RuntimeError):
    """The kernel stopped answering: a cell ignored the interrupt after its time limit."""


# --- the kernel side of the seal (sent as source: the kernel never imports nbgrader) -------
def _kernel_seal(name):
    """Note the helpers graded tests rely on; register ``sys.modules[name].check()``.

    Runs in the kernel before any notebook cell, so nothing a submission does can come first.
    ``check()`` raises AssertionError when a noted object was replaced, or when a function or
    class of a ``course`` module now comes from notebook code.
    """
    import os
    import sys
    import types

    try:
        from course import testing
    except ImportError:  # a kernel without this course: nothing to guard
        testing = None
    saved = testing.fingerprint() if testing else {}
    verify = testing.verify_fingerprint if testing else None

    def from_notebook(obj):
        code = getattr(obj, "__code__", None) or getattr(getattr(obj, "__func__", None),
                                                         "__code__", None)
        if code is None:
            return isinstance(obj, type) and obj.__module__ == "__main__"
        name = code.co_filename  # IPython compiles each cell to /tmp/ipykernel_<pid>/<n>.py
        return name.startswith("<ipython-input") or os.sep + "ipykernel_" in name

    def replaced():
        found = []
        for module_name, module in list(sys.modules.items()):
            if module_name != "course" and not module_name.startswith("course."):
                continue
            for attr, value in list(vars(module).items()):
                members = [(attr, value)]
                if isinstance(value, type) and value.__module__ == module_name:
                    members += [(f"{attr}.{k}", v) for k, v in list(vars(value).items())]
                found += [f"{module_name}.{n}" for n, v in members if from_notebook(v)]
        return found

    def check():
        if verify is not None:
            verify(saved)
        found = replaced()
        if found:
            raise AssertionError(
                f"the grading helpers were modified: {', '.join(found[:5])} now come"
                f"{'s' if len(found) == 1 else ''} from code in the notebook.\nHint: restart "
                "the kernel and run all cells, and do not reassign functions of time, "
                "threading or course in your code.")

    sys.modules[name] = types.SimpleNamespace(check=check)


def _seal_source(name: str) -> str:
    """Code that installs the seal under *name* in a kernel, leaving its namespace as it was."""
    return (inspect.getsource(_kernel_seal)
            + f"\n_kernel_seal({name!r})\ndel _kernel_seal\n")


# --- processes left behind -----------------------------------------------------------------
def _marked_environment(token: str) -> dict[str, str]:
    """This process's environment plus the kernel marker."""
    return {**os.environ, MARKER: token}


def kill_marked(tokens) -> int:
    """Kill every process whose environment carries one of *tokens* under MARKER.

    Args:
        tokens: kernel tokens (see GuardedExecute).

    Returns:
        How many processes were killed.
    """
    import psutil  # ipykernel depends on it; only grading needs it

    tokens = set(tokens)
    victims = []
    for process in psutil.process_iter():
        try:
            if process.pid != os.getpid() and process.environ().get(MARKER) in tokens:
                victims.append(process)
        except psutil.Error:  # gone, a zombie, or someone else's
            continue
    for process in victims:
        try:
            process.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(victims, timeout=5)
    return len(victims)


# --- execution -----------------------------------------------------------------------------
def _error(ename: str, evalue: str) -> dict:
    """An error output whose traceback is just its message (feedback shows it as is)."""
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


_wait = run_sync(ensure_async)  # call an API that may or may not be a coroutine, and wait


def _has_error(cell) -> bool:
    return any(output.output_type == "error" for output in cell.get("outputs", []))


class GuardedExecute(Execute):
    """nbgrader's Execute, hardened so a hostile notebook costs bounded time and nothing else.

    See the module docstring. Configure it like Execute (``c.Execute.timeout`` applies) plus
    the traits below.
    """

    solution_timeout = Integer(
        10, allow_none=True,
        help="Seconds a solution cell may run (None: Execute.timeout). Solution cells define "
             "functions, which takes milliseconds; the functions they define before a slow "
             "line still exist after the interrupt.").tag(config=True)
    interrupt_grace = Float(
        5.0, help="Seconds an interrupted cell gets to stop before the kernel is restarted."
    ).tag(config=True)
    max_restarts = Integer(
        3, help="Kernel restarts per notebook; after that the remaining cells fail unrun."
    ).tag(config=True)
    notebook_timeout = Integer(
        600, help="Seconds the whole notebook may take; later cells fail unrun.").tag(config=True)
    max_output_chars = Integer(
        100_000, help="Characters of printed output kept per cell (-1: no limit).").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        """Execute every code cell, as Execute does, within the limits above."""
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        self._begin_run()
        try:
            with self.setup_kernel(env=_marked_environment(self._tokens[-1])):
                self._open_session()
                for index, cell in enumerate(self.nb.cells):
                    self._run_cell(index, cell, resources)
            self.set_widgets_metadata()
        finally:
            self._killed = kill_marked(self._tokens)
        self._log_summary(resources)
        return self.nb, self.resources

    def _begin_run(self) -> None:
        self._started = time.monotonic()
        self._tokens = [uuid.uuid4().hex]
        self._seal = f"_grading_seal_{uuid.uuid4().hex}"
        self._current = -1
        self._timed_out: set[int] = set()
        self._fatal: set[int] = set()
        self._restarts = 0
        self._stopped = ""
        self._printed: dict[tuple, int] = {}
        self._killed = 0
        self._sealed = False

    def _open_session(self) -> None:
        """Ask the fresh kernel for its language, then seal it before any cell runs."""
        info = self.wait_for_reply(self.kc.kernel_info())
        self.nb.metadata["language_info"] = info["content"]["language_info"]
        reply = self._silent(_seal_source(self._seal))
        self._sealed = reply["content"]["status"] == "ok"
        if not self._sealed:
            self.log.warning("could not seal the kernel: %s", reply["content"].get("evalue"))

    def _run_cell(self, index: int, cell, resources) -> None:
        if cell.cell_type != "code" or not cell.source.strip():
            return
        if not self._stopped and time.monotonic() - self._started > self.notebook_timeout:
            self._stopped = (f"not run: grading stopped after the notebook's "
                             f"{self.notebook_timeout} s budget")
        if self._stopped:
            cell.outputs = [_error(_UNRUN, self._stopped)]
            return
        self._current = index
        try:
            if is_grade(cell) and self._failed_seal(cell):
                return
            self.preprocess_cell(cell, resources, index)
        except (DeadKernelError, KernelIgnoredInterrupt) as error:
            cell.outputs.append(_error(_KERNEL, self._fatal_message(error)))
            self._recover(index, resources)

    def _failed_seal(self, cell) -> bool:
        """Make sure a graded cell runs; fail it unrun if the grading helpers were replaced."""
        tags = cell.metadata.get("tags", [])
        if self.skip_cells_with_tag in tags:  # an unrun test has no error: full marks
            tags.remove(self.skip_cells_with_tag)
        problem = self._seal_problem()
        if problem:
            cell.outputs = [_error("AssertionError", problem)]
        return bool(problem)

    def _fatal_message(self, error: Exception) -> str:
        if isinstance(error, KernelIgnoredInterrupt):
            what = str(error)
        else:
            what = "the kernel died while running this cell (os._exit(), a crash, out of memory?)"
        return (f"{what}. The kernel was restarted and the cells above were run again, so "
                "the cells below were graded on a fresh kernel.")

    def _recover(self, index: int, resources) -> None:
        """Restart the kernel and rerun the cells above *index*, skipping any that hang."""
        self._fatal.add(index)
        while True:
            if self._restarts >= self.max_restarts:
                self._stopped = (f"not run: grading stopped after {self._restarts} kernel "
                                 "restarts")
                return
            self._restart_kernel()
            try:
                self._replay(index, resources)
                return
            except (DeadKernelError, KernelIgnoredInterrupt):
                self._fatal.add(self._current)  # a cell above failed this time: skip it too

    def _replay(self, upto: int, resources) -> None:
        """Run the code cells above *upto* again, keeping their first outputs."""
        for index in range(upto):
            cell = self.nb.cells[index]
            if (cell.cell_type != "code" or not cell.source.strip() or index in self._fatal
                    or index in self._timed_out or (is_grade(cell) and _has_error(cell))):
                continue
            self._current = index
            try:
                self.execute_cell(copy.deepcopy(cell), index, store_history=False)
            finally:
                self.nb.cells[index] = cell  # execute_cell stores the copy there

    def _restart_kernel(self) -> None:
        """Replace the kernel by a fresh one, killing what the old one left behind."""
        self._restarts += 1
        old = list(self._tokens)
        self._tokens.append(uuid.uuid4().hex)
        _wait(self.kc.stop_channels())
        self.kc = None
        run_sync(self.km.restart_kernel)(now=True, env=_marked_environment(self._tokens[-1]))
        self._killed += kill_marked(old)
        self.start_new_kernel_client()
        self._open_session()

    def _seal_problem(self) -> str:
        """Return why the grading helpers look modified, or "" when the seal holds."""
        if not self._sealed:
            return ""
        code = f"__import__('sys').modules[{self._seal!r}].check()"
        try:
            content = self._silent(code)["content"]
        except TimeoutError:
            raise KernelIgnoredInterrupt(
                "the kernel stopped answering before this cell ran (a thread started above "
                "holding the GIL?)") from None
        if content["status"] == "ok":
            return ""
        message = content.get("evalue", "")
        if MODIFIED in message:
            return message
        return (f"{MODIFIED}: checking them raised {content.get('ename')}: {message}\n{_HINT}")

    async def _async_silent(self, code: str) -> dict:
        """Run *code* without output or history; return the reply (TimeoutError if none)."""
        msg_id = await ensure_async(self.kc.execute(code, silent=True, store_history=False,
                                                    allow_stdin=False, stop_on_error=False))
        deadline = time.monotonic() + self.interrupt_grace  # it answers in milliseconds
        while True:
            remaining = deadline - time.monotonic()
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=max(remaining, 0)))
            except Empty:
                raise TimeoutError("the kernel did not answer") from None
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    _silent = run_sync(_async_silent)

    def _get_timeout(self, cell):
        if (cell is not None and self.solution_timeout and is_solution(cell)
                and not is_grade(cell)):
            return self.solution_timeout
        return super()._get_timeout(cell)

    async def _async_handle_timeout(self, timeout, cell=None):
        """Interrupt, as Execute does; then restart the kernel if the cell will not stop."""
        self._timed_out.add(self._current)
        reply = await super()._async_handle_timeout(timeout, cell)
        try:
            await ensure_async(self.kc.shell_channel.get_msg(timeout=self.interrupt_grace))
        except Empty:
            raise KernelIgnoredInterrupt(
                f"this cell did not finish within {timeout} s and ignored the interrupt (a long "
                "call into C code?)") from None
        if reply is not None:
            message = (f"this cell did not finish within {timeout} s and was interrupted: "
                       "deadlock or endless loop?")
            reply["content"].update(evalue=message, traceback=[f"{_TIMEOUT}: {message}"])
        return reply

    def output(self, outs, msg, display_id, cell_index):
        """Keep at most max_output_chars of a cell's printed output."""
        if msg["msg_type"] == "stream" and self.max_output_chars >= 0:
            msg = self._capped(msg)
            if msg is None:
                return None
        return super().output(outs, msg, display_id, cell_index)

    def _capped(self, msg):
        """The stream message cut to what is left of its cell's allowance for that stream
        (None: nothing left). The cut keeps its stream: stderr in a test cell still fails it."""
        content = msg["content"]
        key = (msg["parent_header"].get("msg_id", ""), content.get("name"))
        text, used = content.get("text", ""), self._printed.get(key, 0)
        left = self.max_output_chars - used
        self._printed[key] = used + len(text)
        if left < 0:  # the note was given already
            return None
        if len(text) <= left:
            return msg
        note = (f"\n... output cut: this cell printed more than {self.max_output_chars:,} "
                "characters\n")
        msg = copy.deepcopy(msg)
        msg["content"]["text"] = text[:left] + note
        return msg

    def _log_summary(self, resources) -> None:
        who = (resources or {}).get("nbgrader", {})
        self.log.info(
            "GuardedExecute: %s/%s ran in %.1f s (%d timed out, %d kernel restarts, "
            "%d processes left behind killed)%s", who.get("student", "?"),
            who.get("notebook", "?"), time.monotonic() - self._started, len(self._timed_out),
            self._restarts, self._killed, f"; {self._stopped}" if self._stopped else "")


# --- sanitizing ----------------------------------------------------------------------------
class RestoreCells(OverwriteCells):
    """nbgrader's OverwriteCells, trusting nothing of the submitted nbgrader metadata.

    With ``add_missing_cells`` (nbgrader's own switch), every missing locked cell is put back
    after the nearest known cell above it, not only grade cells: nbgrader's own version fails
    when the cell above a missing test is missing too. Missing solution cells stay missing:
    their stub would overwrite functions the student defined elsewhere.
    """

    def preprocess(self, nb, resources):
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.db_url = resources["nbgrader"]["db_url"]
        self.gradebook = Gradebook(self.db_url)
        with self.gradebook:
            notebook = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
            known = _known_cells(notebook)
            self._normalize(nb, known)
            nb, resources = super(OverwriteCells, self).preprocess(nb, resources)
            if self.add_missing_cells:
                self._put_back(nb, notebook.source_cells, known)
        return nb, resources

    def _normalize(self, nb, known: dict) -> None:
        """Drop metadata of unknown or duplicate cells (the last copy wins, as in nbgrader);
        give the others the gradebook's flags."""
        seen = set()
        for cell in reversed(nb.cells):
            meta = cell.metadata.get("nbgrader")
            if meta is None:
                continue
            grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
            if not isinstance(grade_id, str) or grade_id not in known or grade_id in seen:
                self.log.warning("Dropping nbgrader metadata of a cell the assignment does not "
                                 "have (or has twice): %r", grade_id)
                del cell.metadata["nbgrader"]
                continue
            seen.add(grade_id)
            cell.metadata["nbgrader"] = dict(known[grade_id])
            if known[grade_id]["locked"]:
                cell.metadata.pop("tags", None)  # e.g. skip-execution would skip a test
                cell.metadata.update(deletable=False, editable=False)

    def _put_back(self, nb, source_cells, known: dict) -> None:
        """Insert every missing locked cell after the nearest present cell above it."""
        present = {cell.metadata.nbgrader["grade_id"]: cell for cell in nb.cells
                   if "nbgrader" in cell.metadata}
        anchor = None
        for source in source_cells:
            if source.name in present:
                anchor = present[source.name]
                continue
            if not source.locked:
                continue
            self.log.warning("Putting back missing cell %s", source.name)
            cell = _restored_cell(source, known[source.name])
            at = next((i + 1 for i, c in enumerate(nb.cells) if c is anchor), 0)
            nb.cells.insert(at, cell)
            anchor = cell


def _known_cells(notebook) -> dict[str, dict]:
    """{grade_id: the nbgrader metadata the gradebook says the cell has}."""
    points = {cell.name: float(cell.max_score) for cell in notebook.grade_cells}
    solutions = {cell.name for cell in notebook.solution_cells}
    tasks = {cell.name for cell in notebook.task_cells}
    known = {}
    for source in notebook.source_cells:
        meta = {"cell_type": source.cell_type, "grade": source.name in points,
                "grade_id": source.name, "locked": bool(source.locked), "schema_version": 3,
                "solution": source.name in solutions, "checksum": source.checksum}
        if source.name in points:
            meta["points"] = points[source.name]
        if source.name in tasks:
            meta["task"] = True
        known[source.name] = meta
    return known


def _restored_cell(source, meta: dict):
    note = f"This cell ({source.name}) was missing from the submission; the autograder put it back."
    metadata = {"nbgrader": dict(meta), "deletable": False, "editable": False}
    if source.cell_type == "code":
        return new_code_cell(f"# {note}\n{source.source}", metadata=metadata)
    return new_markdown_cell(f"*{note}*\n\n{source.source}", metadata=metadata)


# --- what could not be graded --------------------------------------------------------------
NOT_GRADED = "not graded"
MISSING = "missing"
NOTE = "note"


@dataclass(frozen=True)
class Problem:
    """Something about one submitted notebook that an instructor must see.

    Attributes:
        student, assignment, notebook: whose notebook (notebook is the expected file name).
        kind: NOT_GRADED (no grade: the export leaves the score empty), MISSING (the notebook
            was not submitted: nbgrader scored it 0) or NOTE (graded; worth a look).
        reason: why, for a person.
    """

    student: str
    assignment: str
    notebook: str
    kind: str
    reason: str

    @property
    def serious(self) -> bool:
        """True unless it is only a note: grading should then exit non-zero."""
        return self.kind != NOTE

    def __str__(self) -> str:
        return f"{self.student} / {self.assignment} / {self.notebook}: {self.kind}: {self.reason}"


def unreadable(path: Path | str) -> str:
    """Return why a notebook file cannot be read as a notebook, or "" when it can."""
    path = Path(path)
    if path.stat().st_size == 0:
        return "empty file (0 bytes)"
    try:
        json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        where = f", line {error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
        return f"not valid JSON ({getattr(error, 'msg', None) or error.reason}{where})"
    try:
        nbformat.read(path, as_version=4)
    except Exception as error:  # nbformat raises several kinds for a malformed notebook
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return f"not a valid notebook ({type(error).__name__}: {first[:200]})"
    return ""


def find_problems(course_root: Path | str, assignment: str, log: str = "", *,
                  notes: bool = True) -> list[Problem]:
    """List the submitted notebooks of an assignment that were not graded, or only with trouble.

    Args:
        course_root: the course directory (holding release/, submitted/, autograded/).
        assignment: the assignment name.
        log: the output of `nbgrader autograde`, to quote its error for a failed notebook.
        notes: also read each graded notebook for NOTE problems (kernel restarts).

    Returns:
        Problems, sorted by student, then notebook.
    """
    root = Path(course_root)
    expected = _expected_notebooks(root, assignment)
    reasons = _log_reasons(log)
    problems: list[Problem] = []
    for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
        student = folder.parent.name
        found = sorted(p.name for p in folder.glob("*.ipynb"))
        for name in expected:
            problems += _notebook_problems(root, student, assignment, name, found,
                                           reasons.get(student, ""), notes)
    return problems


def _notebook_problems(root: Path, student: str, assignment: str, name: str,
                       found: list[str], logged: str, notes: bool) -> list[Problem]:
    def problem(kind, reason):
        return [Problem(student, assignment, name, kind, reason)]

    if name not in found:
        others = [f for f in found if f != name]
        if others:  # work was handed in, under another name: rename it and grade again
            return problem(NOT_GRADED, f"no {name} in the submission, but "
                           f"{', '.join(others)}: renamed?")
        return problem(MISSING, f"no {name} in the submission")
    why = unreadable(root / "submitted" / student / assignment / name)
    graded = root / "autograded" / student / assignment / name
    if why or not graded.exists():
        return problem(NOT_GRADED, why or logged or "autograde failed on it (see its log), or "
                       "has not run since it was submitted")
    found_notes = _graded_notes(graded) if notes else []
    return problem(NOTE, "; ".join(found_notes)) if found_notes else []


def _graded_notes(path: Path) -> list[str]:
    """What GuardedExecute reported in a graded notebook: restarts, unrun cells."""
    counts: dict[str, int] = {}
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error" and output.ename in (_KERNEL, _UNRUN):
                counts[output.ename] = counts.get(output.ename, 0) + 1
    notes = []
    if counts.get(_KERNEL):
        notes.append(f"the kernel was restarted after {counts[_KERNEL]} cell(s) hung or "
                     "killed it")
    if counts.get(_UNRUN):
        notes.append(f"{counts[_UNRUN]} cell(s) were not run (grading budget used up)")
    return notes


def _expected_notebooks(root: Path, assignment: str) -> list[str]:
    for folder in (root / "release" / assignment, root / "source" / assignment):
        names = sorted(p.name for p in folder.glob("*.ipynb"))
        if names:
            return names
    return []


_FAILED = re.compile(r"There was an error processing assignment: .*?[/\\]submitted[/\\]"
                     r"(?P<student>[^/\\]+)[/\\]")


def _log_reasons(log: str) -> dict[str, str]:
    """{student: the last line of the error nbgrader logged for their submission}."""
    reasons: dict[str, str] = {}
    lines = log.splitlines()
    for i, line in enumerate(lines):
        match = _FAILED.search(line)
        if not match:
            continue
        block = []
        for following in lines[i + 1:]:
            if following.startswith("[") and "|" in following.split("]")[0]:
                if block:  # the traceback is logged as a line of its own
                    break
                following = following.split("]", 1)[1]
            block.append(following.strip())
        block = [text for text in block if text]
        if block:
            reasons[match["student"]] = f"autograde failed: {block[-1][:300]}"
    return reasons


class ProblemsCsvExport(CsvExportPlugin):
    """nbgrader's CSV export plus a ``problem`` column saying what went wrong, if anything.

    A notebook that could not be autograded leaves the score empty instead of 0; a student
    whose folder nbgrader skipped (no notebook in it) gets a row; a student with no submission
    at all is marked so.
    """

    def export(self, gradebook) -> None:
        super().export(gradebook)
        dest = self.to or "grades.csv"
        root = Path(self.parent.coursedir.root) if self.parent else Path.cwd()
        with open(dest, newline="") as file:
            rows = list(csv.DictReader(file))
        fields = [*(rows[0].keys() if rows else []), "problem"]
        rows += _skipped_rows(root, rows, gradebook)
        problems = {}
        for assignment in {row["assignment"] for row in rows}:
            for problem in find_problems(root, assignment, notes=False):
                problems.setdefault((assignment, problem.student), []).append(problem)
        for row in rows:
            submitted = (root / "submitted" / row["student_id"] / row["assignment"]).is_dir()
            _annotate(row, problems.get((row["assignment"], row["student_id"]), []), submitted)
        with open(dest, "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=fields, restval="")
            writer.writeheader()
            writer.writerows(rows)


def _skipped_rows(root: Path, rows: list[dict], gradebook) -> list[dict]:
    """Rows for submitted folders the gradebook never heard of (nbgrader skips a folder
    holding no notebook): scored 0, for the problem column to explain."""
    exported = {(row["assignment"], row["student_id"]) for row in rows}
    extra = []
    for assignment in {row["assignment"] for row in rows}:
        max_score = next(row["max_score"] for row in rows if row["assignment"] == assignment)
        for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
            if (assignment, folder.parent.name) not in exported:
                extra.append({"assignment": assignment, "student_id": folder.parent.name,
                              "raw_score": "0.0", "late_submission_penalty": "0.0",
                              "score": "0.0", "max_score": max_score})
    return extra


def _annotate(row: dict, problems: list[Problem], submitted: bool) -> None:
    row["problem"] = "; ".join(f"{p.notebook}: {p.kind}: {p.reason}" for p in problems)
    if any(p.kind == NOT_GRADED for p in problems):
        row["raw_score"] = row["score"] = ""
    elif not submitted:
        row["problem"] = "no submission"
