"""The shape of a lesson notebook, read from its cells: exercises, points, and how much of the
code the lesson shows is plain standard-library concurrency code.

    shape = lesson_shape(nbformat.read("source/02-gil/gil.ipynb", as_version=4))
    shape.exercises            # [Exercise(number=1, title=..., points=4, graded=4), ...]
    shape.plain_share          # share of visible lesson code cells using a primitive in sight
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nbgrader.utils import is_grade, is_solution

__all__ = ["PRIMITIVES", "Exercise", "LessonShape", "lesson_shape"]

# What "a standard-library concurrency primitive in plain sight" means in a code cell.
PRIMITIVES = re.compile(
    r"\bthreading\.|\bThread\(|\bLock\(|\bRLock\(|\bSemaphore\(|\bBoundedSemaphore\(|"
    r"\bEvent\(|\bCondition\(|\bBarrier\(|\bqueue\.|\bQueue\(|\bmultiprocessing\b|"
    r"\bProcess\(|\bPool\(|\bProcessPoolExecutor\b|\bThreadPoolExecutor\b|"
    r"\bconcurrent\.futures\b|\basyncio\.|\bawait\b|\basync def\b|\.start\(\)|"
    r"\b[a-z_]\w*\.join\((?:timeout=)?[\w.]*\)|"
    r"\bos\.getpid\(|\bget_native_id\(|\bperf_counter(_ns)?\(|\bprocess_time(_ns)?\(|"
    r"\bthread_time(_ns)?\(|\bshared_memory\b|\bPipe\(|\bValue\(|\bArray\(|\bwith \w*lock\b")
# A cell that only turns numbers into prose.
PROSE = re.compile(r"\bMarkdown\(|\bdisplay_markdown\(|\blesson\.text\.")
EXERCISE = re.compile(r"^##\s+Exercise\s+(\d+):\s*(.+?)\s*\((\d+(?:\.\d+)?)\s+points?\)\s*$",
                      re.MULTILINE)


@dataclass(frozen=True)
class Exercise:
    """One exercise: its heading's number, title and points, and the points its tests carry."""

    number: int
    title: str
    points: float
    graded: float


@dataclass
class LessonShape:
    """What a lesson notebook holds, counted."""

    exercises: list[Exercise] = field(default_factory=list)
    lesson_code: int = 0  # visible code cells before the first exercise, setup aside
    plain: int = 0  # ... of which show a concurrency primitive in plain sight
    prose_visible: list[int] = field(default_factory=list)  # prose-only cells left visible
    prose_hidden: int = 0

    @property
    def plain_share(self) -> float:
        return self.plain / self.lesson_code if self.lesson_code else 0.0


def _hidden(cell) -> bool:
    return bool(cell.metadata.get("jupyter", {}).get("source_hidden"))


def lesson_shape(nb) -> LessonShape:
    """Count a notebook's exercises, their points, and its plain and prose cells."""
    shape = LessonShape()
    current: list = []  # [number, title, points, graded] of the exercise being read
    in_exercises = False
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            match = EXERCISE.search(cell.source)
            if match:
                in_exercises = True
                current = [int(match[1]), match[2], float(match[3]), 0.0]
                shape.exercises.append(current)  # replaced by an Exercise below
            elif cell.source.lstrip().startswith(("## Key Points", "---\n## Key Points")):
                current = []
            continue
        if cell.cell_type != "code":
            continue
        if is_grade(cell) and not is_solution(cell) and current:
            current[3] += float(cell.metadata.nbgrader.get("points", 0))
        if (in_exercises or is_grade(cell) or is_solution(cell) or not cell.source.strip()
                or "fingerprint()" in cell.source):  # the setup cell
            continue
        if PROSE.search(cell.source) and not PRIMITIVES.search(cell.source):
            if _hidden(cell):
                shape.prose_hidden += 1
                continue
            shape.prose_visible.append(index)
        if not _hidden(cell):
            shape.lesson_code += 1
            shape.plain += bool(PRIMITIVES.search(cell.source))
    shape.exercises = [Exercise(*values) for values in shape.exercises]
    return shape
