"""The shape of the code: two packages for two audiences, small modules, no side effects on import,
and docs/architecture.md naming only what exists."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from grading.harness import REPO

COURSE = REPO / "course"
MAX_LINES = 500
INSTRUCTOR_ONLY = ("nbgrader", "nbclient", "psutil", "grading")


def _modules(package: Path) -> list[Path]:
    return sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)


def _dotted(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


class TestAudiences:
    def test_student_imports_load_no_grading_machinery(self):
        """Importing every module of course/ loads no nbgrader, nbclient, psutil or grading."""
        names = [_dotted(path) for path in _modules(COURSE)]
        loaded = _run("import sys\n" + "".join(f"import {name}\n" for name in names)
                      + f"print(sorted(m for m in sys.modules if m.split('.')[0] in "
                        f"{INSTRUCTOR_ONLY!r}))")
        assert loaded.strip() == "[]", f"a student's kernel would load {loaded.strip()}"

    def test_course_never_imports_grading(self):
        """No module of course/ names the grading package or nbgrader in an import."""
        found = []
        for path in _modules(COURSE):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    names = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                        node.module or ""]
                    found += [f"{path.relative_to(REPO)}: {n}" for n in names
                              if n.split(".")[0] in INSTRUCTOR_ONLY]
        assert not found, f"course/ imports instructor-only packages: {found}"


class TestModules:
    @pytest.mark.parametrize("path", _modules(COURSE), ids=lambda p: str(p.relative_to(REPO)))
    def test_small(self, path):
        """No module of course/ exceeds 500 lines: one concern each."""
        lines = len(path.read_text().splitlines())
        assert lines <= MAX_LINES, (
            f"{path.relative_to(REPO)} has {lines} lines: split it by concern")

    def test_importing_changes_no_global_state(self):
        """Importing course/ changes neither the warnings filters nor the start method."""
        names = [_dotted(path) for path in _modules(COURSE)]
        out = _run("import multiprocessing, sys, warnings\n"
                   # third-party libraries add filters of their own when imported: take them first
                   "import numpy, matplotlib.figure, matplotlib.collections, ipywidgets\n"
                   "before = (list(warnings.filters), sys.getswitchinterval())\n"
                   + "".join(f"import {name}\n" for name in names)
                   + "print(list(warnings.filters) == before[0], "
                     "sys.getswitchinterval() == before[1], "
                     "multiprocessing.get_start_method(allow_none=True))")
        assert out.split() == ["True", "True", "None"], (
            f"importing course/ changed global state (filters same, switch interval same, "
            f"start method): {out.strip()}")


class TestArchitectureMap:
    def test_every_module_named_exists(self):
        """Every path docs/architecture.md names exists in the repository."""
        text = (REPO / "docs" / "architecture.md").read_text()
        named = set(re.findall(r"`((?:course|grading|tests|source|scripts|benchmarks|deploy|docs)"
                               r"/[\w./-]*)`", text))
        assert named, "docs/architecture.md names no module"
        missing = sorted(path for path in named if not (REPO / path.rstrip("/")).exists())
        assert not missing, f"docs/architecture.md names what does not exist: {missing}"

    def test_every_package_is_on_the_map(self):
        """Every package of course/ and grading/ appears in docs/architecture.md."""
        text = (REPO / "docs" / "architecture.md").read_text()
        packages = sorted({str(p.parent.relative_to(REPO)) + "/"
                           for root in ("course", "grading") for p in (REPO / root).rglob(
                               "__init__.py") if "__pycache__" not in p.parts})
        missing = [p for p in packages if f"`{p}`" not in text]
        assert not missing, f"docs/architecture.md does not map {missing}"
