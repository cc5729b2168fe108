"""nbgrader settings for the Python Concurrency Lab.

nbgrader reads this file from the directory it runs in, so run every nbgrader command (and
`jupyter lab`, for the Formgrader) from the repository root. The course root is this file's own
directory, so a copy of this file in a scratch directory makes that directory a course of its own
(the pipeline tests rely on that).
"""

import os

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearHiddenTests,
                                    ClearOutput, DeduplicateIds, GetGrades, IgnorePattern,
                                    LimitOutput, OverwriteKernelspec, SaveAutoGrades)

from grading.execute import GuardedExecute
from grading.export import ProblemsCsvExport
from grading.feedback import ClearHiddenTracebacks
from grading.late import LatePenalty
from grading.lesson_cells import SkipLessonCells
from grading.sanitize import RestoreCells

c = get_config()  # noqa: F821 -- traitlets provides get_config() when it loads this file

# Course: source/, release/, submitted/, autograded/, feedback/ and gradebook.db all live here.
ROOT = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "python-concurrency-lab"
c.CourseDirectory.root = ROOT
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".pytest_cache",
]

# The exchange (release_assignment, fetch_assignment, submit, collect) is shared with the
# students' servers, so it comes from the environment, with nbgrader's own default; loading this
# file never creates it (docs/instructor-guide.md says how to set one up).
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")

# `nbgrader zip_collect <assignment>`: one archive per student goes in
# downloaded/<assignment>/archive/, named <student id>.zip, or <student id>--<UTC time>.zip with
# the time it was handed in (20261207T173000Z) so late submissions are caught; its notebooks land
# in submitted/<student id>/<assignment>/.
c.FileNameCollectorPlugin.named_regexp = (
    r".*/extracted/(?P<student_id>[^/]+?)(?:--(?P<timestamp>\d{8}T\d{6}Z))?/(?:.*/)?"
    r"(?P<file_id>[^/]+\.ipynb)$"
)

# Late submissions (due dates: `nbgrader db assignment add <name> --duedate="..."`): 10% of the
# score per started day late, at most 50%. grading/late.py.
c.AssignLatePenalties.plugin_class = LatePenalty
c.LatePenalty.percent_per_day = 10.0
c.LatePenalty.max_percent = 50.0

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



# Feedback: by default it shows hidden test code verbatim, in the cells and in their tracebacks.
# A failed hidden test's message names the expected value (a hint for the student, an answer to
# copy for the next attempt): set this to True to show only "a hidden test failed".
c.ClearHiddenTracebacks.hide_hidden_failures = False
# Classes, not dotted names: nbgrader's --help-all inspects each entry's traits.
c.GenerateFeedback.preprocessors = [
    GetGrades, ClearHiddenTracebacks, ClearHiddenTests, CSSHTMLHeaderPreprocessor,
]


# Autograde runs what a student wrote and exactly the lesson cells it needs (the rule is in
# grading/lesson_cells.py), so a submission costs its exercises' run time, not the lesson's
# measurements. A test cell fails only when it raises (grading/execute.py). nbgrader's own list
# otherwise.
c.Autograde.autograde_preprocessors = [
    SkipLessonCells, GuardedExecute, IgnorePattern, ClearMetadataPreprocessor,
    LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
]

# Hostile and broken submissions (grading/; tests/adversarial/ proves each case).
# Sanitizing trusts no submitted nbgrader metadata and puts back every missing locked cell.
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
