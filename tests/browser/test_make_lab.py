"""`make lab`, as the README tells students and instructors to run it, serves JupyterLab."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .lab import fetch, free_port, stop_group

REPO = Path(__file__).resolve().parents[2]


def test_make_lab_serves_the_course(tmp_path):
    """`make lab` answers on its port with JupyterLab, rooted where release/ and source/ are."""
    port, token = free_port(), "make-lab-check"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    log_path = tmp_path / "make-lab.log"
    with log_path.open("w") as log:
        lab = subprocess.Popen(
            ["make", "--no-print-directory", "lab", f"PORT={port}", "IP=127.0.0.1",
             f"LAB_ARGS=--no-browser --IdentityProvider.token={token}"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            page = fetch(f"{base}/lab?token={token}", lab, log_path, "make lab")
            assert "JupyterLab" in page, "the page at /lab is not JupyterLab"
            listing = fetch(f"{base}/api/contents?token={token}", lab, log_path, "make lab")
            assert '"release"' in listing and '"source"' in listing, (
                "JupyterLab's root does not hold release/ and source/: is it the repository root?")
        finally:
            stop_group(lab)
