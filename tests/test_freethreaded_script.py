"""Tests for scripts/freethreaded.sh: archive discovery, early failures, and the kernel it
registers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "freethreaded.sh"
KERNEL = Path(sys.prefix) / "share" / "jupyter" / "kernels" / "python3-freethreaded"

DEB822_MAIN = """\
Types: deb
URIs: http://archive.example/debian/
Suites: bookworm bookworm-updates
Components: main
"""
DEB822_SECURITY = """\
Types: deb
URIs: http://archive.example/debian-security
Suites: bookworm-security
Components: main
"""


def run_script(*args, env=None, timeout=30):
    """Run the script with extra environment variables; return the finished process."""
    return subprocess.run(
        ["bash", str(SCRIPT), *args], env={**os.environ, **(env or {})},
        capture_output=True, text=True, timeout=timeout,
    )


def apt_etc(tmp_path, files):
    """Lay out a fake apt configuration directory holding `files` (relative path -> text)."""
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (tmp_path / "sources.list.d").mkdir(exist_ok=True)
    return tmp_path


class TestSyntax:
    def test_parses(self):
        """bash accepts the script without running it."""
        result = subprocess.run(["bash", "-n", str(SCRIPT)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


class TestArchiveFromApt:
    @pytest.mark.parametrize("files, expected", [
        ({"sources.list.d/debian.sources": DEB822_SECURITY + "\n" + DEB822_MAIN},
         "http://archive.example/debian"),
        ({"sources.list": "# comment\n"
                          "deb http://archive.example/debian-security bookworm-security main\n"
                          "deb http://archive.example/debian bookworm main\n"},
         "http://archive.example/debian"),
        ({"sources.list": "deb [arch=amd64 signed-by=/k.gpg] "
                          "http://mirror.example/debian/ bookworm main\n"},
         "http://mirror.example/debian"),
        ({"sources.list.d/a.sources": DEB822_MAIN,
          "sources.list": "deb http://other.example/debian bookworm main\n"},
         "http://archive.example/debian"),
    ])
    def test_reads_main_archive(self, tmp_path, files, expected):
        """The main archive's address is read from deb822 or one-line sources, security skipped."""
        result = run_script("--print-archive", env={"APT_ETC": str(apt_etc(tmp_path, files))})
        assert (result.returncode, result.stdout.strip()) == (0, expected), result.stderr

    def test_no_archive(self, tmp_path):
        """An apt configuration without an archive fails with a message naming the directory."""
        result = run_script("--print-archive", env={"APT_ETC": str(apt_etc(tmp_path, {}))})
        assert result.returncode == 1
        assert f"no archive address found in {tmp_path}" in result.stderr


class TestMain:
    def test_missing_main_venv(self, tmp_path):
        """Without the main venv the script stops before building anything."""
        result = run_script(str(ROOT), env={
            "MAIN_VENV": str(tmp_path / "absent"), "FREETHREADED_PREFIX": str(tmp_path / "py"),
        })
        assert result.returncode == 1
        assert "main venv" in result.stderr and "not found" in result.stderr
        assert not (tmp_path / "py").exists()


def _kernel_python():
    """Return the registered kernel's interpreter, or None when the kernel is not set up here."""
    spec = KERNEL / "kernel.json"
    if not spec.is_file():
        return None
    python = Path(json.loads(spec.read_text())["argv"][0])
    return python if python.exists() else None


@pytest.mark.skipif(_kernel_python() is None,
                    reason="free-threaded kernel not built (make freethreaded)")
class TestRegisteredKernel:
    def test_runs_without_gil(self):
        """The registered kernel starts, imports course, and reports the GIL disabled."""
        from jupyter_client.manager import start_new_kernel

        km, kc = start_new_kernel(kernel_name="python3-freethreaded", startup_timeout=60)
        out = []
        try:
            reply = kc.execute_interactive(
                "import sys, course; print(sys._is_gil_enabled())", timeout=60,
                output_hook=lambda msg: out.append(msg["content"].get("text", "")),
            )
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        assert reply["content"]["status"] == "ok", reply["content"]
        assert "".join(out).strip() == "False", f"expected the GIL disabled, kernel printed {out!r}"
