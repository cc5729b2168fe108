"""Tests for scripts/student_bundle.py (`make student`): the bundle holds no answer, and runs.

The bundle is built once per session. Every solution (each solution cell's answer, and each of
its distinctive lines) and every hidden test (each block and each distinctive line) of every
lesson in source/ is searched for in every file of the bundle, folder and zip. Then the bundle is
installed into a fresh virtual environment and lesson 1 runs top to bottom there, with the
solutions filled in from source/ (in a copy: the stubs would stop each exercise).

The fresh environment takes the course's dependencies from this repository's environment (a path
entry, without its editable install of `course`), so the test costs a minute, not a download;
STUDENT_BUNDLE_FULL_INSTALL=1 installs the bundle's dependencies from the package index instead.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import is_solution

from grading.harness import (REPO, build_submission, list_assignments, read_notebooks,
                             solution_cells)
from grading.harness.submissions import BEGIN_SOLUTION, END_SOLUTION

SCRIPT = REPO / "scripts" / "student_bundle.py"
LESSONS = list_assignments(REPO / "source")
MIN_LINE = 30  # characters (squashed) a line needs to count as distinctive
FULL_INSTALL = os.environ.get("STUDENT_BUNDLE_FULL_INSTALL") == "1"


def _script():
    spec = importlib.util.spec_from_file_location("student_bundle", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bundle(tmp_path_factory):
    """(folder, zip) of a bundle built by `python scripts/student_bundle.py --dest DIR`."""
    dest = tmp_path_factory.mktemp("student")
    done = subprocess.run([sys.executable, str(SCRIPT), "--dest", str(dest)], capture_output=True,
                          text=True, timeout=300, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return dest / _script().NAME, dest / f"{_script().NAME}.zip"


def _squash(text: str) -> str:
    return " ".join(text.split())


def _regions(source: str, begin: str, end: str) -> list[str]:
    """The text between each begin and end marker line of a cell."""
    found, inside, lines = [], False, []
    for line in source.splitlines():
        if begin in line:
            inside, lines = True, []
        elif end in line and inside:
            inside = False
            found.append("\n".join(lines))
        elif inside:
            lines.append(line)
    return found


def _secrets() -> dict[str, tuple[list[str], list[str]]]:
    """{lesson: (whole blocks, distinctive lines)}: each solution answer and hidden test block
    squashed, and each of their lines of MIN_LINE characters or more, less what the release
    shows anyway."""
    secrets = {}
    for lesson in LESSONS:
        shown = "\n".join(_squash(cell.source) for nb in
                          read_notebooks(REPO / "release" / lesson).values() for cell in nb.cells)
        blocks: set[str] = set()
        for nb in read_notebooks(REPO / "source" / lesson).values():
            for cell in nb.cells:
                blocks.update(_squash(b) for b in _regions(cell.source, "BEGIN HIDDEN TESTS",
                                                          "END HIDDEN TESTS"))
                if is_solution(cell):
                    blocks.update(_squash(b) for b in _regions(cell.source, BEGIN_SOLUTION,
                                                              END_SOLUTION) or [cell.source])
        lines = {_squash(line) for block in blocks for line in _unsquashed(lesson, block)}
        secrets[lesson] = (sorted(b for b in blocks if b and b not in shown),
                           sorted(s for s in lines if len(s) >= MIN_LINE and s not in shown))
    return secrets


def _unsquashed(lesson: str, squashed: str) -> list[str]:
    """The lines of the source cell text that squashes to *squashed*."""
    for nb in read_notebooks(REPO / "source" / lesson).values():
        for cell in nb.cells:
            for block in (_regions(cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
                          + _regions(cell.source, BEGIN_SOLUTION, END_SOLUTION) + [cell.source]):
                if _squash(block) == squashed:
                    return block.splitlines()
    return []


def _texts(folder: Path, archive: Path) -> dict[str, str]:
    """{name: squashed text} of every file in the bundle's folder and zip (notebooks: their
    cells' sources and outputs, as a reader sees them)."""
    texts = {}
    for path in folder.rglob("*"):
        if path.is_file():
            texts[str(path.relative_to(folder))] = _readable(path.name, path.read_bytes())
    with zipfile.ZipFile(archive) as zipped:
        for name in zipped.namelist():
            texts[f"zip:{name}"] = _readable(name, zipped.read(name))
    return texts


def _readable(name: str, data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    if name.endswith(".ipynb"):
        cells = json.loads(text).get("cells", [])
        text = "\n".join("".join(c.get("source", "")) + json.dumps(c.get("outputs", []))
                         for c in cells)
    return _squash(text)


class TestContents:
    def test_nothing_of_source_tests_or_grading(self, bundle):
        """No source/, tests/ or grading/ folder, nbgrader_config.py or gradebook, in the folder
        or the zip."""
        folder, archive = bundle
        forbidden = _script().FORBIDDEN
        names = [p.relative_to(folder).parts for p in folder.rglob("*")]
        with zipfile.ZipFile(archive) as zipped:
            names += [Path(n).parts for n in zipped.namelist()]
        leaks = ["/".join(parts) for parts in names if set(parts) & set(forbidden)]
        assert not leaks, f"the bundle holds {leaks[:5]}"

    def test_every_lesson_and_the_student_files(self, bundle):
        """Each lesson's release folder, course/, the student README, pyproject.toml,
        environment.yml and Binder's configuration are there."""
        folder, archive = bundle
        for lesson in LESSONS:
            released = sorted(p.name for p in (REPO / "release" / lesson).iterdir()
                              if p.name != "__pycache__")
            assert sorted(p.name for p in (folder / lesson).iterdir()) == released
        for name in ("course/__init__.py", "README.md", "pyproject.toml", "environment.yml",
                     "binder/environment.yml", "binder/postBuild", "LICENSE"):
            assert (folder / name).is_file(), name
        assert os.access(folder / "binder" / "postBuild", os.X_OK)
        with zipfile.ZipFile(archive) as zipped:
            assert f"{_script().NAME}/README.md" in zipped.namelist()

    @pytest.mark.parametrize("lesson", LESSONS)
    def test_no_solution_or_hidden_test(self, bundle, lesson):
        """No answer of a solution cell and no hidden test of the lesson appears in any file of
        the bundle: whole anywhere, nor as a distinctive line outside course/ (the library may
        share a line such as `with ctx.Pool(workers) as pool:` with an answer; the catalogue's
        "delegates to the library" cases check that it answers no exercise)."""
        blocks, lines = _secrets()[lesson]
        assert blocks, f"{lesson}: no solution or hidden test found in source/"
        leaks = []
        for name, text in _texts(*bundle).items():
            library = name.removeprefix(f"zip:{_script().NAME}/").startswith("course/")
            leaks += [(name, secret[:80]) for secret in blocks + ([] if library else lines)
                      if secret in text]
        assert not leaks, f"{lesson}: the bundle shows answers: {leaks[:5]}"

    def test_student_dependencies_only(self, bundle):
        """pyproject.toml lists the repository's student dependencies and packages `course`
        alone; environment.yml the same, with no instructor or test extras."""
        folder, _ = bundle
        mine = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
        theirs = tomllib.loads((folder / "pyproject.toml").read_text())
        assert theirs["project"]["dependencies"] == mine["dependencies"]
        assert "optional-dependencies" not in theirs["project"]
        assert theirs["tool"]["setuptools"]["packages"]["find"]["include"] == ["course",
                                                                             "course.*"]
        environment = (folder / "environment.yml").read_text()
        assert "-e ." in environment and "grading" not in environment
        assert "-e ." not in (folder / "binder" / "environment.yml").read_text()


@pytest.mark.pipeline
@pytest.mark.timeout(1200)
class TestInstalled:
    def test_lesson_1_runs_in_a_fresh_venv(self, bundle, tmp_path):
        """pip installs the bundle's folder into a new virtual environment, and lesson 1 runs
        to the end there, importing the installed course package."""
        folder, _ = bundle
        venv = tmp_path / "venv"
        subprocess.run([sys.base_prefix + "/bin/python3", "-m", "venv", str(venv)], check=True,
                       timeout=300)
        python = venv / "bin" / "python"
        install = [str(python), "-m", "pip", "install", "--quiet", "--no-input", str(folder)]
        if not FULL_INSTALL:
            site = Path(subprocess.check_output(
                [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                text=True).strip())
            (site / "repository-environment.pth").write_text(sysconfig.get_paths()["purelib"])
            install[4:4] = ["--no-deps"]  # the build backend still comes from the index
        done = subprocess.run(install, capture_output=True, text=True, timeout=1200)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
        where = subprocess.run([str(python), "-c", "import course; print(course.__file__)"],
                               capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert str(venv) in where.stdout, f"course imported from {where.stdout}{where.stderr}"
        lesson = LESSONS[0]
        work = tmp_path / "work"
        work.mkdir()
        for path in (folder / lesson).iterdir():
            (work / path.name).write_bytes(path.read_bytes())
        sources = read_notebooks(REPO / "source" / lesson)
        for name, nb in read_notebooks(folder / lesson).items():
            solved = build_submission(nb, solution_cells(sources[name]))
            solved.cells.append(nbformat.v4.new_code_cell(
                "import course, sys\nprint('COURSE-FROM', course.__file__, sys.executable)"))
            nbformat.write(solved, work / name)
        for name in read_notebooks(work):
            run = subprocess.run(
                [str(python), "-m", "nbconvert", "--to", "notebook", "--execute",
                 "--output", f"ran-{name}", "--ExecutePreprocessor.timeout=300",
                 "--ExecutePreprocessor.kernel_name=python3", str(work / name)],
                capture_output=True, text=True, timeout=1200, cwd=work,
                env={**os.environ, "JUPYTER_PATH": str(venv / "share" / "jupyter")})
            assert run.returncode == 0, run.stderr[-4000:]
            ran = nbformat.read(work / f"ran-{name}", as_version=4)
            errors = [o for c in ran.cells for o in c.get("outputs", [])
                      if o.output_type == "error"]
            assert not errors, errors[:2]
            where = "".join(o.get("text", "") for o in ran.cells[-1].get("outputs", []))
            assert f"COURSE-FROM {venv}" in where, f"the lesson ran on another course: {where}"
