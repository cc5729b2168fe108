"""A throw-away JupyterLab server and headless Chromium for the browser tests."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Chromium's background services try to reach the network; these keep it quiet and quick.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
STARTUP_TIMEOUT_S = 60


def free_port() -> int:
    """An unused TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """JupyterLab on 127.0.0.1 with a token and its own config directory, for one test session."""

    def __init__(self, root: Path, workdir: Path) -> None:
        self.root = root
        self.workdir = workdir
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.log_path = workdir / "jupyterlab.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def lab_url(self, path: str = "") -> str:
        """The address that opens *path* (relative to the root) in JupyterLab."""
        # reset: start from an empty workspace, not the tabs an earlier test left open
        where = f"/lab/tree/{path}" if path else "/lab"
        return f"{self.url}{where}?reset&token={self.token}"

    def _environment(self) -> dict:
        config = self.workdir / "config"
        (config / "labconfig").mkdir(parents=True, exist_ok=True)
        # The news pop-up covers the notebook and asks a question nobody will answer.
        (config / "labconfig" / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
        settings = self.workdir / "settings"
        # Render every cell: with windowing, cells and widgets out of view do not exist in the page.
        tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
        tracker.parent.mkdir(parents=True, exist_ok=True)
        tracker.write_text(json.dumps({"windowingMode": "none"}))
        # Tests change open notebooks (tags that let Run All carry on past errors): never save them.
        docmanager = (settings / "@jupyterlab" / "docmanager-extension"
                      / "plugin.jupyterlab-settings")
        docmanager.parent.mkdir(parents=True, exist_ok=True)
        docmanager.write_text(json.dumps({"autosave": False}))
        # nbgrader runs the `alembic` command to create the gradebook: the venv's bin comes first.
        path = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
        env = dict(os.environ, PATH=path, JUPYTER_CONFIG_DIR=str(config),
                   JUPYTERLAB_SETTINGS_DIR=str(settings),
                   JUPYTERLAB_WORKSPACES_DIR=str(self.workdir / "workspaces"),
                   JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"), MPLBACKEND="module://matplotlib_inline.backend_inline")
        return env

    def start(self) -> "LabServer":
        """Start the server and wait until its REST API answers."""
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}", "--ServerApp.open_browser=False",
                   "--LabApp.news_url=", "--LabApp.expose_app_in_browser=True",
                   "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, cwd=self.root, stdout=log,
                                        stderr=subprocess.STDOUT, env=self._environment(),
                                        start_new_session=True)
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        fetch(f"{self.url}/api/status?token={self.token}", self.process, self.log_path,
              "JupyterLab")

    def stop(self) -> None:
        """Stop the server and every kernel it started (they share its process group)."""
        if self.process is not None:
            stop_group(self.process)


def fetch(url: str, process: subprocess.Popen, log_path: Path, what: str,
          timeout_s: float = STARTUP_TIMEOUT_S) -> str:
    """The body at *url*, retried until the server *process* answers; an error naming its log
    when it exits or stays silent for *timeout_s*."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{what} did not serve {url.split('?')[0]} within {timeout_s} s; "
                       f"see {log_path}")


def stop_group(process: subprocess.Popen) -> None:
    """Stop *process* and everything in its process group (started with start_new_session)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def copy_course(repo: Path, destination: Path) -> Path:
    """Copy what students and instructors open (release/, source/, config) to *destination*."""
    for name in ("release", "source", "nbgrader_config.py"):
        path = repo / name
        if path.is_dir():
            shutil.copytree(path, destination / name)
        elif path.exists():
            shutil.copy2(path, destination / name)
    return destination
