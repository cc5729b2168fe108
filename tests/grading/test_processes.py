"""Tests for grading.processes: the one process killer."""

from __future__ import annotations

import os
import subprocess
import time
import uuid

import psutil

from grading.processes import MARKER, kill_marked, kill_tree


class TestKillMarked:
    def test_kills_only_marked_processes(self):
        """Processes carrying the token are killed; others are left alone."""
        token = uuid.uuid4().hex
        marked = subprocess.Popen(["sleep", "60"], env={**os.environ, MARKER: token},
                                  start_new_session=True)
        other = subprocess.Popen(["sleep", "60"])
        try:
            assert kill_marked([token]) == 1
            marked.wait(timeout=5)  # already reaped by kill_marked: returns at once
            assert other.poll() is None
        finally:
            other.kill()
            other.wait()

    def test_kill_tree_kills_a_process_and_its_children(self):
        """kill_tree takes the whole tree down, children of children included."""
        parent = subprocess.Popen(["sh", "-c", "sleep 60 & sleep 60 & wait"])
        deadline = time.monotonic() + 5
        while len(psutil.Process(parent.pid).children()) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)  # until the shell has started both sleeps
        try:
            assert kill_tree(parent.pid) == 3
            assert parent.wait(timeout=5) is not None
        finally:
            parent.kill()
