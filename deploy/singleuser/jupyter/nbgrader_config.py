"""nbgrader settings for a student's server on the hub.

The single-user image puts this file in the server's Jupyter config path. Students only fetch,
validate and submit: the exchange is the shared folder the instructor releases into, named by
NBGRADER_EXCHANGE (nbgrader's own default otherwise); nothing here creates it.
"""

import os

c = get_config()  # noqa: F821 -- traitlets provides get_config() when it loads this file

c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
# A student may take several courses: fetched assignments go to <course id>/<assignment>/.
c.Exchange.path_includes_course = True
# The hub says who the student is. nbgrader otherwise takes the Unix user name, which is the
# same for everyone when all servers run as one account (a container's jovyan, a simple spawner).
# With a shared-folder exchange, students are trusted not to hand in under another name: use
# one Unix user per student (LocalProcessSpawner) or ngshare where that trust is not enough.
if os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
