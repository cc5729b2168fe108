"""Build the student bundle: the lessons without their answers, in a folder and a zip.

    python scripts/student_bundle.py [--dest DIR]      (make student; default DIR: dist/student)

The repository holds every solution and hidden test (source/, tests/), so students get this
bundle instead: the release notebooks (one folder per lesson), the `course` package their kernel
imports, a pyproject.toml and an environment.yml listing only what a student needs, a README for
students, Binder's configuration (binder/) and the licences. Nothing of source/, tests/, grading/
or nbgrader_config.py goes in; tests/test_student_bundle.py searches the bundle for every
solution and hidden test, installs it into a fresh virtual environment and runs lesson 1.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NAME = "python-concurrency-lab"
LICENCES = ("LICENSE", "LICENSE-lessons.md", "CITATION.cff")
SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
# Never in a bundle, at any depth: what holds answers or grades, or grading's own code.
FORBIDDEN = ("source", "tests", "grading", "nbgrader_config.py", "gradebook.db", "submitted",
             "autograded", "feedback")

STUDENT_README = """\
# Python Concurrency Lab

Five JupyterLab lessons on Python threads, the GIL, locks, processes and asyncio, where every
claim is measured on your own machine as you read. Each lesson records what every thread and
process did and draws it as a Gantt chart.

## Start

With Python {python} and `pip`:

```
python3 -m venv .venv
.venv/bin/pip install -e .        # Windows: .venv\\Scripts\\pip install -e .
.venv/bin/jupyter lab
```

With conda: `conda env create -f environment.yml`, `conda activate {name}`, `jupyter lab`.
On Binder, open this folder's repository: it builds from `binder/` and opens JupyterLab.

## Work

{lessons}

Open a lesson's notebook, restart the kernel and run the cells from the top. Exercises sit in
cells that say `# YOUR CODE HERE`: replace `raise NotImplementedError()` with your code, then
run the test cells under it. The *Validate* button runs every visible test; more tests run when
your work is graded, so make your code do what the exercise says, not only what the visible
tests check. Hand in the notebook as your course says (the *Assignments* tab, or the file).

The `course` folder holds the instruments the lessons use: the recorder, the charts, the test
helpers. Lesson 4's worker functions live in a module next to its notebook, so that processes
started with *spawn* can import them.

Optional: a free-threaded Python (3.13t) shows threads without a GIL. Install one (python.org's
installer, `uv python install 3.13t`, or conda-forge's `python-freethreading`), then register
it as a kernel with `python3.13t -m pip install ipykernel ipywidgets matplotlib numpy -e .` and
`python3.13t -m ipykernel install --user --name python3-freethreaded`.

Code: MIT licence (`LICENSE`); lessons: CC BY 4.0 (`LICENSE-lessons.md`).
"""

BINDER_POSTBUILD = """\
#!/bin/bash
# Binder: install the course package, and hide nbgrader's instructor tools from students.
set -euo pipefail
python -m pip install --no-deps -e .
jupyter labextension disable --level=sys_prefix @jupyter/nbgrader:formgrader
jupyter labextension disable --level=sys_prefix @jupyter/nbgrader:create-assignment
jupyter server extension disable --sys-prefix nbgrader.server_extensions.formgrader
"""


def lessons(repo: Path = REPO) -> list[str]:
    """The lessons of release/ (folders holding a notebook), in order."""
    return sorted(p.name for p in (repo / "release").iterdir()
                  if p.is_dir() and any(p.glob("*.ipynb")))


def student_pyproject(repo: Path = REPO) -> str:
    """pyproject.toml for students: the course package and its student dependencies only."""
    project = tomllib.loads((repo / "pyproject.toml").read_text())["project"]
    dependencies = "".join(f'    "{d}",\n' for d in project["dependencies"])
    return (
        '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "{project["name"]}"\nversion = "{project["version"]}"\n'
        f'description = "{project["description"]}"\nreadme = "README.md"\n'
        f'requires-python = "{project["requires-python"]}"\n'
        f'license = {{ text = "{project["license"]["text"]}" }}\n'
        f"dependencies = [\n{dependencies}]\n\n"
        '[tool.setuptools.packages.find]\ninclude = ["course", "course.*"]\n')


def student_environment(repo: Path = REPO, *, editable: bool = True) -> str:
    """environment.yml for students: the repository's, which lists the student dependencies
    (tests/test_packaging.py keeps it in step with pyproject.toml); Binder's copy leaves the
    course package to binder/postBuild."""
    lines = []
    for line in (repo / "environment.yml").read_text().splitlines():
        if line.lstrip().startswith("#"):
            continue
        if not editable and re.match(r"\s*-\s*(pip:|-e \.)\s*$", line):
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def build(dest: Path, repo: Path = REPO) -> tuple[Path, Path]:
    """Build the bundle as dest/NAME/ and dest/NAME.zip (both replaced); return them."""
    folder = dest / NAME
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    names = lessons(repo)
    for name in names:
        shutil.copytree(repo / "release" / name, folder / name, ignore=SKIPPED)
    shutil.copytree(repo / "course", folder / "course", ignore=SKIPPED)
    (folder / "pyproject.toml").write_text(student_pyproject(repo))
    (folder / "environment.yml").write_text(student_environment(repo))
    python = tomllib.loads((repo / "pyproject.toml").read_text())["project"]["requires-python"]
    (folder / "README.md").write_text(STUDENT_README.format(
        python=python, name=NAME, lessons="\n".join(
            f"- `{n}/{next((repo / 'release' / n).glob('*.ipynb')).name}`" for n in names)))
    (folder / "binder").mkdir()
    (folder / "binder" / "environment.yml").write_text(student_environment(repo, editable=False))
    (folder / "binder" / "postBuild").write_text(BINDER_POSTBUILD)
    (folder / "binder" / "postBuild").chmod(0o755)
    for licence in LICENCES:
        if (repo / licence).exists():
            shutil.copy2(repo / licence, folder / licence)
    check(folder)
    archive = dest / f"{NAME}.zip"
    archive.unlink(missing_ok=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(folder.rglob("*")):
            zipped.write(path, Path(NAME) / path.relative_to(folder))
    return folder, archive


def check(folder: Path) -> None:
    """Refuse a bundle holding any FORBIDDEN name, at any depth."""
    found = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name in FORBIDDEN)
    if found:
        raise RuntimeError(f"the student bundle must not hold {found}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=REPO / "dist" / "student")
    args = parser.parse_args(argv)
    folder, archive = build(args.dest.resolve())
    print(f"student bundle: {folder}/ and {archive} ({archive.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
