"""Every link and file reference in the repository points at something that exists.

Markdown links with a relative target must resolve from the file that holds them; a path to a
file of this repository named anywhere (docs, notebooks, code comments, the Makefile) must exist.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from grading.harness import REPO

TOP = ("course", "grading", "tests", "docs", "scripts", "benchmarks", "deploy", "source",
       "release", ".ci", "autograded")
# A repository path ending in a file name, such as <top folder>/<path>/<name>.md
PATH = re.compile(r"(?<![\w./-])((?:" + "|".join(re.escape(t) for t in TOP)
                  + r")/[\w./-]*\.(?:py|md|sh|ipynb|yml|yaml|toml|png|cff|json|txt|sbatch|cfg))\b")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
TEXT_SUFFIXES = {".md", ".py", ".ipynb", ".toml", ".yml", ".yaml", ".sh", ".cff", ".cfg", ""}


def _tracked() -> list[Path]:
    """Text files git knows (tracked or new, not ignored), minus catalogued answers."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout
    paths = [REPO / line for line in listed.splitlines() if line]
    return [p for p in paths if p.is_file() and p.suffix in TEXT_SUFFIXES
            and "mistakes" not in p.parts and p.name != "LICENSE"]


def _text(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return "\n".join("".join(c["source"]) for c in cells)
    return path.read_text(errors="replace")


def _placeholder(target: str) -> bool:
    return any(mark in target for mark in "<>*{}$") or "NN-" in target


FILES = _tracked()


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_references_exist(path):
    """Relative links resolve and named repository files exist."""
    text = _text(path)
    broken = []
    if path.suffix in (".md", ".ipynb"):
        for target in LINK.findall(text):
            if re.match(r"^[a-z]+:|^#", target) or _placeholder(target):
                continue
            if not (path.parent / target.split("#")[0]).exists():
                broken.append(f"link {target}")
    for named in PATH.findall(text):
        if not _placeholder(named) and not (REPO / named).exists():
            broken.append(f"path {named}")
    assert not broken, f"{path.relative_to(REPO)} points at what does not exist: {broken}"
