"""Executing a submission so that a hostile notebook costs bounded time and nothing else.

:class:`GuardedExecute` is nbgrader's ``Execute`` plus:

- a shorter time limit for solution cells (they define functions);
- a cell that ignores the interrupt after its time limit, or kills the kernel, gets a fresh kernel
  on which the cells above it run again (their first outputs are kept), so it costs one time
  limit, not one per remaining cell; a time budget for the whole notebook;
- a cap on printed output;
- the seal (grading/seal.py): a graded cell fails with "the grading helpers were modified" when
  what the tests rely on was replaced;
- every process the kernel started is killed when it is done, found by a marker in its
  environment, even one that left the kernel's process group;
- **a test cell fails only when it raises**: what it writes to stderr (warnings, logging, a
  thread's traceback) is kept as ordinary output, and a value it ends on is shown, never taken
  as partial credit (nbgrader's own rule fails a cell on any stderr and reads a number as a
  score), so the verdict is the one the student saw in their own kernel.
"""

from __future__ import annotations

import copy
import time
import uuid
from queue import Empty

from jupyter_core.utils import ensure_async, run_sync
from nbclient.client import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from nbgrader.utils import is_grade, is_solution
from traitlets import Float, Integer

from .processes import kill_marked, marked_environment
from .seal import HINT, MODIFIED, check_source, seal_source

__all__ = ["GuardedExecute", "KernelIgnoredInterrupt", "TIMED_OUT", "KERNEL_RESTARTED", "NOT_RUN",
           "neutralize_test_outputs"]

# Error names GuardedExecute writes into a cell it had to stop, restart around or skip.
TIMED_OUT = "CellTimeoutError"
KERNEL_RESTARTED = "KernelRestarted"
NOT_RUN = "CellNotRun"


class KernelIgnoredInterrupt(RuntimeError):
    """The kernel stopped answering: a cell ignored the interrupt after its time limit."""


def _error(ename: str, evalue: str) -> dict:
    """An error output whose traceback is just its message (feedback shows it as is)."""
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


_wait = run_sync(ensure_async)  # call an API that may or may not be a coroutine, and wait


def _has_error(cell) -> bool:
    return any(output.output_type == "error" for output in cell.get("outputs", []))


def neutralize_test_outputs(cell) -> None:
    """Make a test cell's outputs count only through their errors.

    stderr text becomes stdout text (kept, in place) and a result becomes a display: nbgrader
    fails a cell on any stderr output and reads a numeric result as partial credit.
    """
    for output in cell.get("outputs", []):
        if output.output_type == "stream" and output.name == "stderr":
            output.name = "stdout"
        elif output.output_type == "execute_result":
            output.output_type = "display_data"
            output.pop("execution_count", None)


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
            with self.setup_kernel(env=marked_environment(self._tokens[-1])):
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
        reply = self._silent(seal_source(self._seal))
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
            cell.outputs = [_error(NOT_RUN, self._stopped)]
            return
        self._current = index
        try:
            if is_grade(cell) and self._failed_seal(cell):
                return
            self.preprocess_cell(cell, resources, index)
            if is_grade(cell) and not is_solution(cell):
                neutralize_test_outputs(cell)
        except (DeadKernelError, KernelIgnoredInterrupt) as error:
            cell.outputs.append(_error(KERNEL_RESTARTED, self._fatal_message(error)))
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
        run_sync(self.km.restart_kernel)(now=True, env=marked_environment(self._tokens[-1]))
        self._killed += kill_marked(old)
        self.start_new_kernel_client()
        self._open_session()

    def _seal_problem(self) -> str:
        """Return why the grading helpers look modified, or "" when the seal holds."""
        if not self._sealed:
            return ""
        code = check_source(self._seal)
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
        return (f"{MODIFIED}: checking them raised {content.get('ename')}: {message}\n{HINT}")

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
            reply["content"].update(evalue=message, traceback=[f"{TIMED_OUT}: {message}"])
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
        (None: nothing left)."""
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


