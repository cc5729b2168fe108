"""`make lab`, as the README tells students and instructors to run it, serves JupyterLab."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from .lab import STARTUP_TIMEOUT_S, free_port

REPO = Path(__file__).resolve().parents[2]


def test_make_lab_serves_the_course(tmp_path):
    """`make lab` answers on its port with JupyterLab, rooted where release/ and source/ are."""
    port, token = free_port(), "make-lab-check"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    log = (tmp_path / "make-lab.log").open("w")
    lab = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"PORT={port}", "IP=127.0.0.1",
         f"LAB_ARGS=--no-browser --IdentityProvider.token={token}"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True)
    try:
        page = _get(f"http://127.0.0.1:{port}/lab?token={token}", lab, tmp_path / "make-lab.log")
        assert "JupyterLab" in page, "the page at /lab is not JupyterLab"
        listing = _get(f"http://127.0.0.1:{port}/api/contents?token={token}", lab,
                       tmp_path / "make-lab.log")
        assert '"release"' in listing and '"source"' in listing, (
            "JupyterLab's root does not hold release/ and source/: is it the repository root?")
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            lab.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            lab.wait(10)
        log.close()


def _get(url: str, lab: subprocess.Popen, log: Path) -> str:
    """The body at *url*, retried until the server answers (or fails with its log)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if lab.poll() is not None:
            raise AssertionError(f"make lab exited with code {lab.returncode}:\n"
                                 f"{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"make lab did not serve {url.split('?')[0]} within "
                         f"{STARTUP_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")
