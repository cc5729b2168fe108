"""JupyterHub configuration for a course on one server (The Littlest JupyterHub, or a plain
JupyterHub with one Unix account per user). See deploy/README.md.

Edit the names below, or set COURSE_ID, COURSE_GRADERS, COURSE_STUDENTS, COURSE_ROOT,
COURSE_GRADER_ACCOUNT and NBGRADER_EXCHANGE in the hub's environment.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # course_hub.py lives here

from course_hub import configure, from_environment  # noqa: E402

c = get_config()  # noqa: F821 -- JupyterHub provides get_config() when it loads this file

if os.environ.get("COURSE_ROOT"):
    from_environment(c)
else:
    configure(
        c,
        course_id="python-concurrency-lab",
        graders=["instructor1", "ta1"],
        students=["student1", "student2"],
        course_root="/home/grader-python-concurrency-lab/python-concurrency-lab",
        grader_account="grader-python-concurrency-lab",
        exchange="/srv/nbgrader/exchange",
    )

# One Unix account per user, logging in with their system password.
c.JupyterHub.authenticator_class = "pam"
c.JupyterHub.spawner_class = "default"
