"""Grading for Python Concurrency Lab: what an instructor runs, never imported by a kernel.

- :mod:`grading.lesson_cells`: which lesson cells a submission's grading must run (the rule).
- :mod:`grading.execute`: ``GuardedExecute``, nbgrader's Execute hardened against hostile code.
- :mod:`grading.seal`: the tamper seal installed in each grading kernel.
- :mod:`grading.sanitize`: ``RestoreCells``, trusting none of a submission's nbgrader metadata.
- :mod:`grading.feedback`: ``ClearHiddenTracebacks``, feedback without the hidden tests.
- :mod:`grading.problems` and :mod:`grading.export`: what could not be graded, and why.
- :mod:`grading.processes`: the one process killer.
- :mod:`grading.harness`: build submissions, autograde them in a scratch course, read scores.
- ``python -m grading``: autograde what was submitted and list every notebook not graded.

nbgrader_config.py puts these classes into nbgrader's own preprocessor lists; it only configures.
"""
