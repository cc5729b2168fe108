"""Validate: a student's check before submitting, run by the rules autograde grades by.

nbgrader's own Validate runs every cell of the notebook with nbgrader's plain Execute (the whole
lesson: 10-20 s of measurements), and fails a test on any stderr. This module runs what
autograde runs, minus the hidden tests (a student's notebook has none):

- the lesson-cell rule (:mod:`grading.lesson_cells`): the cells the student wrote or changed,
  every nbgrader cell, and the lesson cells they need; everything else is skipped. Which lesson
  cells are unchanged is read from a reference notebook, the first found of: the instructor's
  source notebook, the release notebook (its lesson cells are the same cells), the copy in the
  exchange's outbound folder. With none, every code cell the notebook does not lock runs.
- :class:`grading.execute.GuardedExecute` with the course's nbgrader config: the same time
  limits, restarts around a deaf kernel, seal, output cap and process killing; a test cell fails
  only when it raises;
- the kernel autograde uses: the reference notebook's kernelspec.

The result is nbgrader's (``Validator.validate``'s dict, wrapped by :func:`validate_notebook` as
nbgrader's server handler wraps it), so the JupyterLab dialog shows it as it always has.

``python -m grading.validate`` is the worker the server extension (:mod:`grading.validate_server`)
starts: it imports everything, then waits for one request line ``{"path": ...}`` on stdin, writes
one response line to stdout and exits. When stdin closes before it is done (the server went
away), it stops its kernel and exits. ``python -m grading.validate NOTEBOOK...`` validates
notebooks one after the other and prints one JSON line per notebook. A worker's kernels talk
over Unix sockets in a runtime folder of its own (:func:`worker_config`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

import nbformat
from jupyter_core.paths import jupyter_config_path
from nbgrader import utils
from nbgrader.apps import NbGrader
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default.exchange import Exchange
from nbgrader.nbgraderformat import SchemaTooNewError, SchemaTooOldError
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput
from nbgrader.validator import Validator

from .execute import GuardedExecute
from .lesson_cells import SKIP_TAG, cells_to_skip, lesson_cell_digests
from .processes import kill_tree

__all__ = ["CourseValidator", "load_config", "worker_config", "find_reference",
           "validate_notebook", "main"]

STUDENT = "validate"  # the name GuardedExecute's log line gives the notebook's owner
RUNTIME_VARIABLE = "COURSE_VALIDATE_RUNTIME"  # a runtime folder a worker's server made for it
KERNEL_DIED_AT_START = "Kernel died before replying to kernel_info"  # jupyter_client's words
# Seconds a worker whose server went away gives its kernel to stop before it kills its tree.
ORPHAN_GRACE_S = 10


def load_config():
    """The nbgrader config, found as nbgrader's own Validate handler finds it: the current
    directory's nbgrader_config.py (the server's, for a worker), then Jupyter's config path."""
    paths = jupyter_config_path()
    paths.insert(0, os.getcwd())
    app = NbGrader()
    app.config_file_paths.append(paths)
    app.load_config_file()
    return app.config


def find_reference(path: Path | str, config) -> Path | None:
    """The notebook whose lesson cells count as unchanged, for the notebook at *path*.

    The assignment is the notebook's folder name. Looked for, in order: the source notebook
    of the course (the instructor's), its release notebook (a student's machine may hold only
    release/), and the released copy in the exchange. None when there is none of them.
    """
    path = Path(path)
    assignment, name = path.parent.name, path.name
    coursedir = CourseDirectory(config=config)
    folders = [coursedir.format_path(coursedir.source_directory, ".", assignment),
               coursedir.format_path(coursedir.release_directory, ".", assignment)]
    exchange = config.Exchange.get("root", Exchange.root.default_value)
    if coursedir.course_id:
        folders.append(os.path.join(exchange, coursedir.course_id, "outbound", assignment))
    for folder in folders:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    return None


class CourseValidator(Validator):
    """nbgrader's Validator, running the notebook as autograde does (see the module docstring).

    What it reports, and how, is nbgrader's: type-changed cells, changed locked cells, or the
    failed test cells with their errors.
    """

    def validate(self, filename: str):
        self._filename = os.path.abspath(filename)
        return super().validate(filename)

    def _preprocess(self, nb):
        resources = {"metadata": {"path": os.path.dirname(self._filename)},
                     "nbgrader": {"student": STUDENT, "notebook": Path(self._filename).stem}}
        with utils.setenv(NBGRADER_VALIDATING="1", NBGRADER_EXECUTION="validate"):
            nb, resources = CheckCellMetadata(parent=self).preprocess(nb, resources)
            if not self.ignore_checksums and self._get_changed_cells(nb):
                return nb  # only the changed cells are reported then: running is wasted
            nb, resources = ClearOutput(parent=self).preprocess(nb, resources)
            self._as_autograde(nb)
            nb, resources = self._execute(nb, resources)
        return nb

    def _execute(self, nb, resources):
        """GuardedExecute, tried a second time when the kernel died before it answered at all
        (over TCP, two kernels starting at once can draw the same port): no cell had run."""
        try:
            return GuardedExecute(parent=self).preprocess(nb, resources)
        except RuntimeError as error:
            if KERNEL_DIED_AT_START not in str(error):
                raise
            self.log.warning("Validate: %s: %s; starting another kernel", self._filename, error)
            return GuardedExecute(parent=self).preprocess(nb, resources)

    def _as_autograde(self, nb) -> None:
        """Take the reference's kernel, and tag the lesson cells autograde would skip."""
        reference_path = find_reference(self._filename, self.config)
        if reference_path is None:
            self.log.warning("Validate: no source or release notebook for %s: every code cell "
                             "it does not lock runs", self._filename)
            digests = set()
        else:
            reference = nbformat.read(reference_path, as_version=4)
            digests = lesson_cell_digests(reference)
            if reference.metadata.get("kernelspec"):
                nb.metadata["kernelspec"] = reference.metadata["kernelspec"]
        skipped = cells_to_skip(nb, digests)
        for index in skipped:
            tags = nb.cells[index].metadata.setdefault("tags", [])
            if SKIP_TAG not in tags:
                tags.append(SKIP_TAG)
        self.log.info("Validate: %s skips %d lesson cells no graded cell needs (reference: %s)",
                      self._filename, len(skipped), reference_path)


def validate_notebook(path: Path | str, config=None) -> dict:
    """Validate one notebook; return the response nbgrader's server handler gives.

    Args:
        path: the notebook.
        config: the nbgrader config (default: :func:`load_config` from the current directory).

    Returns:
        ``{"success": True, "value": <Validator.validate's dict>}``, or ``{"success": False,
        "value": <message>}`` when the notebook could not be validated (nbgrader's messages).
    """
    fullpath = str(Path(path).resolve())
    try:
        validator = CourseValidator(config=load_config() if config is None else config)
        return {"success": True, "value": validator.validate(fullpath)}
    except SchemaTooOldError:
        return {"success": False, "value": (
            f"The notebook '{fullpath}' uses an old version of the nbgrader metadata format. "
            f"Please **back up this notebook** and then update the metadata using:\n\n"
            f"nbgrader update {fullpath}\n")}
    except SchemaTooNewError:
        return {"success": False, "value": (
            f"The notebook '{fullpath}' uses a newer version of the nbgrader metadata format. "
            "Please update your version of nbgrader to the latest version to be able to use "
            "this notebook.")}
    except Exception:
        return {"success": False, "value": traceback.format_exc()}


# --- the worker -------------------------------------------------------------------------------
_answered = threading.Event()


def _read_line(fd: int) -> bytes:
    """One line from a file descriptor, read unbuffered (b"" when it closed first)."""
    line = b""
    while not line.endswith(b"\n"):
        chunk = os.read(fd, 1)
        if not chunk:
            return b""
        line += chunk
    return line


def _watch_parent(fd: int) -> None:
    """Wait for the server's end of stdin to close; then, unless this worker has answered,
    stop it: SIGTERM (its kernel is stopped), and its whole tree after a grace period."""
    while os.read(fd, 65536):  # os.read, not sys.stdin: no lock held at interpreter exit
        pass
    if _answered.is_set():
        return
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(ORPHAN_GRACE_S)
    kill_tree(os.getpid())


def worker_config(runtime: str):
    """The nbgrader config without the grading sandbox, with kernels on ZMQ's ipc transport in
    *runtime* unless the course sets a transport: kernels that several workers start at once
    over TCP race for ports (one found free is taken before the kernel binds it, and the kernel
    dies); Unix sockets in a folder of the worker's own have no ports, and no other user of the
    machine can reach them."""
    config = load_config()
    # Validate runs in the student's own server, on their own files, with their own rights: the
    # grading sandbox (which hides the course folder the server serves) guards the instructor's.
    config.SandboxedKernelManager.enabled = False
    if "transport" not in config.KernelManager:
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = os.path.join(runtime, "kernel")
    return config


def _runtime() -> tuple[str, bool]:
    """This worker's runtime folder (the one its server made, or a new one) and whether it is
    this worker's to remove."""
    given = os.environ.get(RUNTIME_VARIABLE)
    runtime = given or tempfile.mkdtemp(prefix="validate-")
    os.environ["JUPYTER_RUNTIME_DIR"] = runtime  # connection files go there too
    return runtime, not given


def _serve(config) -> int:
    """Read one request from stdin, answer it on the real stdout, and return."""
    response_fd = os.dup(1)
    os.dup2(2, 1)  # whatever else prints goes to the server's log, not into the response
    request = _read_line(0)
    if not request:
        return 0  # the server went away before giving work
    threading.Thread(target=_watch_parent, args=(0,), daemon=True).start()
    try:
        response = validate_notebook(json.loads(request)["path"], config)
    except Exception:
        response = {"success": False, "value": traceback.format_exc()}
    _answered.set()
    with os.fdopen(response_fd, "w") as out:
        out.write(json.dumps(response) + "\n")
    return 0


def _terminate(signum, frame):
    signal.signal(signum, signal.SIG_IGN)  # once: a second one would cut the cleanup short
    raise SystemExit(128 + signum)  # unwinds GuardedExecute: its kernel is stopped and killed


def main(argv: list[str]) -> int:
    """Serve one request (no arguments), or validate the notebooks named, printing one JSON line
    per notebook: ``{"path": ..., "seconds": ..., "response": ...}``."""
    import logging

    logging.basicConfig(level=logging.INFO, format="[Validate %(process)d] %(message)s")
    signal.signal(signal.SIGTERM, _terminate)
    runtime, own = _runtime()
    try:
        config = worker_config(runtime)
        if not argv:
            return _serve(config)
        for path in argv:
            started = time.perf_counter()
            response = validate_notebook(path, config)
            print(json.dumps({"path": path, "seconds": round(time.perf_counter() - started, 2),
                              "response": response}), flush=True)
        return 0
    finally:
        if own:
            shutil.rmtree(runtime, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
