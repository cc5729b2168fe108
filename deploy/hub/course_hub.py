"""JupyterHub settings for one course taught with Python Concurrency Lab.

nbgrader's "one class, multiple graders" arrangement: the course's files live in one grading
account, whose server runs as a hub *service* named after the course; every instructor and TA in
the ``formgrade-<course>`` group reaches its Formgrader through the hub. Students get their own
servers with only the student tools (fetch, Validate, submit, fetch feedback); all share the
exchange folder.

    from course_hub import configure
    configure(c, course_id="python-concurrency-lab", graders=["ann", "ben"],
              students=["s001", "s002"], course_root="/home/grader-python-concurrency-lab/course")

jupyterhub_config.py next to this file is the deployment's; tests/deploy/ calls ``configure``
with a test's accounts and paths.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

__all__ = ["SERVICE_PORT", "configure"]

SERVICE_PORT = 9999


def configure(c, *, course_id: str, graders: Sequence[str], students: Sequence[str],
              course_root: str, exchange: str = "/srv/nbgrader/exchange",
              grader_account: str | None = None, service_port: int = SERVICE_PORT,
              singleuser: Sequence[str] = ("jupyterhub-singleuser",),
              environment: dict[str, str] | None = None,
              student_environment: dict[str, str] | None = None) -> None:
    """Fill a JupyterHub config *c* for the course.

    Args:
        course_id: nbgrader's course id; also the service's name (nbgrader requires it).
        graders: hub users who grade (instructors and TAs).
        students: hub users who take the course.
        course_root: the grading account's course folder (this repository's checkout).
        exchange: the folder shared by every server (the same path in each).
        grader_account: the Unix user the service runs as (None: the hub's own user).
        service_port: where the grading service listens, on 127.0.0.1.
        singleuser: the command that starts a single-user server.
        environment: more environment variables for every server and the service.
        student_environment: more for student servers only (e.g. JUPYTER_CONFIG_DIR pointing
            at deploy/singleuser/jupyter, where the image does not install it system-wide).
    """
    shared = {"NBGRADER_EXCHANGE": exchange, **(environment or {})}
    c.Authenticator.allowed_users = set(graders) | set(students)
    c.Authenticator.admin_users = set()
    c.JupyterHub.load_groups = {f"formgrade-{course_id}": list(graders),
                                f"nbgrader-{course_id}": list(students)}
    c.JupyterHub.load_roles = [
        {"name": f"formgrade-{course_id}", "groups": [f"formgrade-{course_id}"],
         "scopes": [f"access:services!service={course_id}", "list:services",
                    f"read:services!service={course_id}"]},
        {"name": f"nbgrader-{course_id}", "groups": [f"nbgrader-{course_id}"],
         "scopes": ["list:services", f"read:services!service={course_id}"]},
        # nbgrader's course list asks the hub which courses the user may see
        {"name": "server", "scopes": ["inherit"]},
    ]
    service = {"name": course_id, "url": f"http://127.0.0.1:{service_port}",
               "command": [*singleuser, f"--ServerApp.root_dir={course_root}"],
               "cwd": course_root,
               "environment": {"JUPYTERHUB_DEFAULT_URL": "/lab", **shared}}
    if grader_account:
        service["user"] = grader_account
    c.JupyterHub.services = [service]
    c.Spawner.environment = {**shared, **(student_environment or {})}
    c.Spawner.default_url = "/lab"


def from_environment(c) -> None:
    """configure() from COURSE_* environment variables (handy under systemd and Helm)."""
    split = lambda name: [u for u in os.environ.get(name, "").replace(",", " ").split() if u]  # noqa: E731
    configure(c, course_id=os.environ.get("COURSE_ID", "python-concurrency-lab"),
              graders=split("COURSE_GRADERS"), students=split("COURSE_STUDENTS"),
              course_root=os.environ["COURSE_ROOT"],
              exchange=os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange"),
              grader_account=os.environ.get("COURSE_GRADER_ACCOUNT") or None)
