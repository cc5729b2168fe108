"""release/ is exactly what `nbgrader generate_assignment` makes from source/ (never hand-edited).

Generating twice from the same source gives byte-identical notebooks here (checksums are hashes
of the cell source, cell ids come from the source), so notebooks are compared as parsed JSON,
which ignores only formatting, plus execution counts, which the release always clears.
Other files must be byte-equal.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grading.harness import REPO, list_assignments

HINT = "release/ is out of sync with source/: run `make release`"
pytestmark = pytest.mark.pipeline


def _files(folder: Path) -> dict[str, Path]:
    """{relative path: file} of a folder, leaving out caches."""
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts}


def _normalized(path: Path) -> dict:
    """A notebook's JSON without execution counts."""
    nb = json.loads(path.read_text())
    for cell in nb.get("cells", []):
        cell.pop("execution_count", None)
    return nb


def _differences(fresh: Path, committed: Path) -> list[str]:
    """Describe every file that is missing, extra or different in committed vs fresh."""
    new, old = _files(fresh), _files(committed)
    problems = [f"missing {name}" for name in sorted(new.keys() - old.keys())]
    problems += [f"unexpected {name}" for name in sorted(old.keys() - new.keys())]
    for name in sorted(new.keys() & old.keys()):
        if name.endswith(".ipynb"):
            same = _normalized(new[name]) == _normalized(old[name])
        else:
            same = new[name].read_bytes() == old[name].read_bytes()
        if not same:
            problems.append(f"{name} differs")
    return problems


ASSIGNMENTS = list_assignments(REPO / "source")


@pytest.mark.skipif(not ASSIGNMENTS, reason="source/ holds no assignment yet")
class TestReleaseSync:
    @pytest.mark.parametrize("assignment", ASSIGNMENTS)
    def test_release_matches_source(self, assignment, generated_course):
        """release/<assignment> equals a fresh generate_assignment of source/<assignment>."""
        committed = REPO / "release" / assignment
        assert committed.is_dir(), f"release/{assignment} is missing: {HINT}"
        problems = _differences(generated_course / "release" / assignment, committed)
        assert not problems, f"{HINT} ({assignment}: {'; '.join(problems)})"

    def test_no_release_without_source(self):
        """Every folder of release/ has its source folder."""
        released = sorted(p.name for p in (REPO / "release").glob("*") if p.is_dir())
        orphans = [name for name in released if name not in ASSIGNMENTS]
        assert not orphans, f"{HINT} (no source/ for release/{', release/'.join(orphans)})"
