"""The Validate button's endpoint, served off the Jupyter server's event loop.

nbgrader's JupyterLab *Validate* button POSTs ``assignments/validate?path=<notebook>`` and shows
the JSON answer in its dialog. nbgrader's own handler validates inside the server's event loop,
so JupyterLab freezes until it is done (nbgrader issue #1232). This extension serves the same
endpoint with the same request and response, but each validation runs in a worker process
(``python -m grading.validate``, see :mod:`grading.validate`) that the handler awaits:

- at most ``workers`` validations run at once (default: the usable cores); more wait their turn;
- a worker that has not answered within ``timeout`` seconds is stopped (its stdin closed: it
  stops its kernel), its process tree killed after ``grace`` seconds, and the student reads why
  in the dialog;
- ``warm_workers`` workers are started ahead of need (their imports cost seconds), replaced as
  they are used; the server's shutdown stops them all, and a worker whose server vanished stops
  itself when its stdin closes.

Enable it in place of nbgrader's handler (the package's jupyter-config does, and so does
``make lab``)::

    jupyter server extension enable --sys-prefix grading.validate_server
    jupyter server extension disable --sys-prefix nbgrader.server_extensions.validate_assignment

Should both be enabled, this one still answers: extensions load in name order and the first
handler added for a path wins.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.extension.application import ExtensionApp
from nbgrader.server_extensions.validate_assignment.handlers import NbGraderVersionHandler
from tornado import web
from traitlets import Float, Integer

from .processes import kill_tree
from .validate import RUNTIME_VARIABLE

__all__ = ["ValidateApp", "ValidatePool", "ValidateHandler"]

POOL = "grading_validate_pool"  # the web app setting holding the pool
RESPONSE_LIMIT = 64 * 2**20  # bytes of one response line (failed cells' tracebacks, as HTML)


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ValidatePool:
    """Worker processes that validate notebooks, at most *workers* at once.

    Args:
        workers: validations running at once; more wait for a free worker.
        timeout: seconds a validation may take before its worker is stopped.
        grace: seconds a stopped worker gets to stop its kernel before its tree is killed.
        warm: workers kept started ahead of need.
        cwd: the workers' directory, where they read nbgrader_config.py.
        log: where to say what happened.
        command: the worker's command line (default: this Python, ``-m grading.validate``).
    """

    def __init__(self, workers: int, timeout: float, grace: float = 10, warm: int = 1,
                 cwd: str | None = None, log=None, command: list[str] | None = None) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1 (got {workers})")
        self.workers, self.timeout, self.grace, self.warm = workers, timeout, grace, warm
        self.cwd = cwd or os.getcwd()
        self.command = command or [sys.executable, "-m", "grading.validate"]
        self.log = log
        self._slots = asyncio.Semaphore(workers)
        self._spares: list[asyncio.subprocess.Process] = []
        self._busy: set[asyncio.subprocess.Process] = set()
        self._tasks: set[asyncio.Task] = set()
        self._runtimes: dict[int, str] = {}  # worker pid: its runtime folder
        self._starting = 0  # warm workers being started
        self._closed = False

    @property
    def running(self) -> int:
        """Validations running now."""
        return len(self._busy)

    async def start(self) -> None:
        """Start warm workers until there are ``warm`` of them."""
        while len(self._spares) + self._starting < self.warm and not self._closed:
            self._starting += 1
            try:
                worker = await self._spawn()
            finally:
                self._starting -= 1
            if self._closed:
                await self._stop(worker)
            else:
                self._spares.append(worker)

    async def validate(self, path: str) -> dict:
        """Validate the notebook at *path* in a worker; return nbgrader's response dict."""
        async with self._slots:
            if self._closed:
                return _failure("the server is shutting down")
            worker = await self._take()
            self._busy.add(worker)
            try:
                answer = await self._ask(worker, path)
            except BaseException:
                await self._stop(worker)
                raise
            finally:
                self._busy.discard(worker)
            if isinstance(answer, dict):
                self._background(self._retire(worker))
                return answer
            await self._stop(worker)  # out of time, or dead: nothing of it may stay
            return _failure(answer if answer else (
                f"the validation worker exited (code {worker.returncode}) without an answer; "
                "the server log says why"))

    def start_soon(self) -> None:
        """Start the warm workers in the background."""
        self._background(self.start())

    async def close(self) -> None:
        """Stop every worker, busy or spare."""
        self._closed = True
        workers, self._spares = list(self._busy) + self._spares, []
        await asyncio.gather(*(self._stop(worker) for worker in workers), *self._tasks)

    async def _spawn(self) -> asyncio.subprocess.Process:
        # Its own runtime folder (kernel sockets), made here so that it goes even when the
        # worker is killed; a session of its own: the server's Ctrl-C is not one for it.
        runtime = tempfile.mkdtemp(prefix="validate-worker-")
        worker = await asyncio.create_subprocess_exec(
            *self.command, cwd=self.cwd, env={**os.environ, RUNTIME_VARIABLE: runtime},
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            start_new_session=True, limit=RESPONSE_LIMIT)
        self._runtimes[worker.pid] = runtime
        return worker

    async def _take(self) -> asyncio.subprocess.Process:
        while self._spares:
            worker = self._spares.pop(0)
            if worker.returncode is None:
                return worker
        return await self._spawn()

    async def _ask(self, worker: asyncio.subprocess.Process, path: str) -> dict | str:
        """The worker's answer; or why there is none: a message, or "" when it died."""
        try:
            worker.stdin.write(json.dumps({"path": path}).encode() + b"\n")
            await worker.stdin.drain()
            answer = await asyncio.wait_for(worker.stdout.readline(), self.timeout)
        except asyncio.TimeoutError:
            self._say("warning", "Validate: %s took over %g s; stopping its worker", path,
                      self.timeout)
            return (f"Validate did not finish within {self.timeout:g} s, so it was stopped. "
                    "Does a cell never end (a deadlock, an endless loop)? Restart the kernel "
                    "and run the notebook to find it.")
        except (BrokenPipeError, ConnectionResetError):
            return ""
        return json.loads(answer) if answer else ""

    async def _retire(self, worker: asyncio.subprocess.Process) -> None:
        """Let a worker that answered exit, then start a spare in its place."""
        await self._stop(worker)
        await self.start()

    async def _stop(self, worker: asyncio.subprocess.Process) -> None:
        """Close the worker's stdin, which stops it (its kernel too); kill its tree if it
        has not exited within the grace period."""
        if worker.returncode is None:
            worker.stdin.close()
            try:
                await asyncio.wait_for(worker.wait(), self.grace)
            except asyncio.TimeoutError:
                await asyncio.to_thread(kill_tree, worker.pid)
                await worker.wait()
        runtime = self._runtimes.pop(worker.pid, None)
        if runtime:
            shutil.rmtree(runtime, ignore_errors=True)

    def _background(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)  # the loop keeps only weak references to tasks
        task.add_done_callback(self._tasks.discard)

    def _say(self, level: str, *args) -> None:
        if self.log is not None:
            getattr(self.log, level)(*args)


def _failure(message: str) -> dict:
    """A response the dialog shows as "There was an error running the validate command"."""
    return {"success": False, "value": message}


class ValidateHandler(JupyterHandler):
    """``POST assignments/validate``: nbgrader's request and response, validated in a worker."""

    @web.authenticated
    async def post(self):
        try:
            path = self.get_argument("path")
        except web.MissingArgumentError:
            path = self.get_json_body()["path"]
        root = Path(self.settings["server_root_dir"]).expanduser().resolve()
        target = (root / path).resolve()
        if not target.is_relative_to(root):
            raise web.HTTPError(403, "Access denied: path outside allowed directory")
        self.finish(json.dumps(await self.settings[POOL].validate(str(target))))


class ValidateApp(ExtensionApp):
    """Serve nbgrader's Validate endpoint off the event loop (see the module docstring)."""

    name = "grading_validate"
    load_other_extensions = True

    workers = Integer(
        0, help="Validations running at once (0: the cores this server may use). More "
                "wait for a free worker.").tag(config=True)
    timeout = Float(
        900, help="Seconds one validation may take before its worker is stopped. Above "
                  "GuardedExecute.notebook_timeout, which bounds the notebook itself."
    ).tag(config=True)
    grace = Float(
        10, help="Seconds a stopped worker gets to stop its kernel before its process tree "
                 "is killed.").tag(config=True)
    warm_workers = Integer(
        1, help="Workers started ahead of need: each holds its imports (about 110 MB), which "
                "saves seconds per validation. 0 on a crowded shared machine.").tag(config=True)

    def initialize_settings(self):
        self.pool = ValidatePool(self.workers or usable_cores(), self.timeout, self.grace,
                                 self.warm_workers, log=self.log)
        self.settings[POOL] = self.pool

    def initialize_handlers(self):
        self.handlers.extend([
            (r"/assignments/validate", ValidateHandler),
            (r"/nbgrader_version", NbGraderVersionHandler),
        ])

    async def _start_jupyter_server_extension(self, serverapp):
        self.log.info("Validate runs in up to %d worker processes, %g s each at most",
                      self.pool.workers, self.pool.timeout)
        self.pool.start_soon()

    def current_activity(self):
        return self.pool.running > 0

    async def stop_extension(self):
        await self.pool.close()


def _jupyter_server_extension_points():
    return [{"module": "grading.validate_server", "app": ValidateApp}]
