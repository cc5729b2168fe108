"""Test harness for the nbgrader assignment pipeline.

Build submissions from a release notebook, autograde them in a scratch course, read the grades:

    course = make_course(tmp_path / "course", REPO / "source", ["02-gil"])
    generate_assignment(course, "02-gil")
    release = read_notebooks(course / "release" / "02-gil")["gil.ipynb"]
    write_submission(course, "02-gil", "alice",
                     {"gil.ipynb": build_submission(release, {"count_up": "def count_up(): ..."})})
    scores = autograde(course, "02-gil")        # {"alice": {"gil": NotebookScore}}
    scores["alice"]["gil"].score, scores["alice"]["gil"].cells["count_up_counts"].score

`run_pipeline` does all of that for an assignment's catalogue (solution, stub, mistakes).
"""

from .catalogue import (SOLUTION, STUB, Assignment, Catalogue, PipelineRun, build_catalogue,
                        expected_scores, run_pipeline)
from .commands import (REPO, CellScore, NbgraderError, NotebookScore, autograde,
                       generate_assignment, grading_seconds, list_assignments, load_config,
                       make_course, read_scores, run_nbgrader, validate)
from .mistakes import Mistake, MistakeFormatError, load_mistakes, parse_mistake
from .submissions import (build_submission, read_notebooks, solution_cells, solution_ids,
                          solution_text, write_submission)

__all__ = [
    "SOLUTION", "STUB", "Assignment", "Catalogue", "PipelineRun", "build_catalogue",
    "expected_scores", "run_pipeline",
    "REPO", "CellScore", "NbgraderError", "NotebookScore", "autograde", "generate_assignment",
    "grading_seconds", "list_assignments", "load_config", "make_course", "read_scores",
    "run_nbgrader", "validate",
    "Mistake", "MistakeFormatError", "load_mistakes", "parse_mistake",
    "build_submission", "read_notebooks", "solution_cells", "solution_ids", "solution_text",
    "write_submission",
]
