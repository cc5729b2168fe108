"""Print, per lesson, how much of the code it shows is plain standard-library concurrency code.

    .venv/bin/python scripts/lesson_stats.py

For each lesson of source/: the visible lesson code cells (before the first exercise, not
counting the setup cell and cells hidden as prose), how many of them use a threading /
multiprocessing / concurrent.futures / queue / asyncio primitive in plain sight, the prose-only
cells (hidden, and any left visible), and each exercise with its points. The rules: at least 50%
plain, no visible prose-only cell, five exercises (tests/test_lesson_shape.py checks them).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from grading.harness import list_assignments  # noqa: E402
from grading.harness.lessons import lesson_shape  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    for name in list_assignments(REPO / "source"):
        for path in sorted((REPO / "source" / name).glob("*.ipynb")):
            shape = lesson_shape(nbformat.read(path, as_version=4))
            print(f"{name}: {shape.plain}/{shape.lesson_code} visible lesson code cells show a "
                  f"primitive in plain sight ({shape.plain_share:.0%}); prose cells: "
                  f"{shape.prose_hidden} hidden, {len(shape.prose_visible)} visible")
            for ex in shape.exercises:
                print(f"    exercise {ex.number}: {ex.title} ({ex.points:g} points, tests carry "
                      f"{ex.graded:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
