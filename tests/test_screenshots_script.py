"""Tests for scripts/screenshots.py: its listing, one real render, and bad names."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "screenshots.py"
TIMEOUT_S = 60
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run_script(*args, cwd=ROOT):
    """Run the script with the test's Python; return the finished process."""
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=TIMEOUT_S)


class TestList:
    def test_lists_every_lesson_and_the_lab(self):
        """--list names a picture for each of the five lessons and the JupyterLab widget."""
        done = run_script("--list")
        assert done.returncode == 0, done.stderr
        names = [line.split()[0] for line in done.stdout.splitlines()]
        assert {name[:2] for name in names} >= {"01", "02", "03", "04", "05"}, names
        assert "lab-switch-explorer" in names


class TestRender:
    def test_renders_one_chart_into_the_folder_given(self, tmp_path):
        """--only NAME --out DIR writes that one small PNG and prints what it measured."""
        done = run_script("--only", "03-semaphore", "--out", str(tmp_path), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        written = sorted(p.name for p in tmp_path.iterdir())
        assert written == ["03-semaphore.png"], written
        data = (tmp_path / "03-semaphore.png").read_bytes()
        assert data.startswith(PNG_MAGIC), "not a PNG"
        assert len(data) < 150 * 1024, f"{len(data)} bytes: over the 150 KB budget"
        assert "03-semaphore: at most " in done.stdout, done.stdout

    def test_unknown_name_is_refused(self, tmp_path):
        """An unknown picture name fails with argparse's message and writes nothing."""
        done = run_script("--only", "05-nothing", "--out", str(tmp_path))
        assert done.returncode == 2
        assert "invalid choice: '05-nothing'" in done.stderr, done.stderr
        assert list(tmp_path.iterdir()) == []
