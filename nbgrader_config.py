"""nbgrader settings for the Python Concurrency Lab.

nbgrader reads this file from the directory it runs in, so run every nbgrader command (and
`jupyter lab`, for the Formgrader) from the repository root. The course root is this file's own
directory, so a copy of this file in a scratch directory makes that directory a course of its own
(the pipeline tests rely on that).
"""

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor

c = get_config()  # noqa: F821 -- traitlets provides get_config() when it loads this file

# Course: source/, release/, submitted/, autograded/, feedback/ and gradebook.db all live here.
ROOT = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "python-concurrency-lab"
c.CourseDirectory.root = ROOT
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".pytest_cache",
]

# The exchange (release_assignment, fetch_assignment, submit) lives in exchange/ here rather than
# a system-wide folder, so JupyterLab's Assignments tab works on a single machine. It must exist.
c.Exchange.root = os.path.join(ROOT, "exchange")
os.makedirs(c.Exchange.root, exist_ok=True)

# `nbgrader zip_collect <assignment>`: one archive per student, named <student id>.zip, goes in
# downloaded/<assignment>/archive/; its notebooks land in submitted/<student id>/<assignment>/.
c.FileNameCollectorPlugin.named_regexp = (
    r".*/extracted/(?P<student_id>[^/]+)/(?:.*/)?(?P<file_id>[^/]+\.ipynb)$"
)

# Release stub of every solution region; the lessons' self-checks expect NotImplementedError.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Execution while validating and autograding.
# A deadlocked or endless cell costs one cell timeout, then the kernel is interrupted and grading
# moves on to the next cell.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
# With the defaults (4 s, raise), a slow spawn-pool teardown or a C loop that ignores SIGINT fails
# the whole notebook and the export shows a silent 0; wait longer for output and carry on instead.
c.Execute.iopub_timeout = 20
c.Execute.raise_on_iopub_timeout = False



class ClearHiddenTracebacks(NbGraderPreprocessor):
    """Cut the traceback of a failed test cell with hidden tests down to its last line.

    IPython's traceback quotes the cell's code around the failing line, hidden tests included,
    and ClearHiddenTests clears only the cell's source, not its outputs. The last line
    ("AssertionError: square(-3) should be 9, got -6") is what the student needs.
    """

    def preprocess_cell(self, cell, resources, index):
        if ClearHiddenTests.begin_test_delimeter.default_value in cell.source:
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


# Feedback: by default it shows hidden test code verbatim, in the cells and in their tracebacks.
# Classes, not dotted names: nbgrader's --help-all inspects each entry's traits.
c.GenerateFeedback.preprocessors = [
    GetGrades, ClearHiddenTracebacks, ClearHiddenTests, CSSHTMLHeaderPreprocessor,
]


# Autograde runs what a student wrote, not the whole lesson: plain lesson cells left unchanged
# from source/ are skipped (course/lesson_cells.py), so a submission costs its exercises' run
# time, not the lesson's 10-20 s of measurements. nbgrader's own list otherwise.
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata,  # noqa: E402
                                    IgnorePattern, LimitOutput, SaveAutoGrades)

from course.autograding import GuardedExecute, ProblemsCsvExport, RestoreCells  # noqa: E402
from course.lesson_cells import SkipUnchangedLessonCells  # noqa: E402

c.Autograde.autograde_preprocessors = [
    SkipUnchangedLessonCells, GuardedExecute, IgnorePattern, ClearMetadataPreprocessor,
    LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
]

# Hostile and broken submissions (course/autograding.py; tests/adversarial/ proves each case).
# Sanitizing trusts no submitted nbgrader metadata and puts back every missing locked cell.
from nbgrader.preprocessors import ClearOutput, DeduplicateIds, OverwriteKernelspec  # noqa: E402

c.Autograde.sanitize_preprocessors = [
    ClearOutput, RestoreCells, DeduplicateIds, OverwriteKernelspec, CheckCellMetadata,
]
c.OverwriteCells.add_missing_cells = True
# Solution cells define functions: 10 s is ample, and a hang there costs 10 s, not 30 s.
# A cell that ignores the interrupt for 5 s, or kills the kernel, gets a fresh kernel (the cells
# above it run again) instead of costing one timeout per remaining cell. A notebook may take
# 10 minutes in all; its output is capped at 100,000 characters per cell.
c.GuardedExecute.solution_timeout = 10
c.GuardedExecute.interrupt_grace = 5.0
c.GuardedExecute.max_restarts = 3
c.GuardedExecute.notebook_timeout = 600
c.GuardedExecute.max_output_chars = 100_000
# `nbgrader export`: a notebook that could not be graded gets an empty score and the reason.
c.ExportApp.plugin_class = ProblemsCsvExport
