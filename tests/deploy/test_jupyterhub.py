"""A course's whole round trip on a real JupyterHub, started here on 127.0.0.1.

The hub runs deploy/hub/course_hub.py's configuration (the course as a grading service for the
``formgrade-`` group, student servers with deploy/singleuser/jupyter's settings), with JupyterHub's
dummy authenticator and simple spawner (every server runs as this test's Unix user; a deployment
gives each person an account of their own). Through it:

1. the instructor releases lesson 1 into the exchange;
2. alice and bob fetch it from their own servers (nbgrader's Assignments endpoints), answer it
   (alice correctly, bob with a catalogued mistake) and submit; bob submits after the due date;
3. the instructor collects, grades with `python -m grading`, generates and releases feedback;
4. each student fetches feedback showing their own score, the late penalty where it applies, and
   no hidden test; students cannot reach the Formgrader, graders can.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
import requests

from grading.harness import (REPO, build_submission, generate_assignment, load_mistakes,
                             make_course, read_notebooks, run_nbgrader, solution_cells)

COURSE_ID = "python-concurrency-lab"
LESSON = "01-threads-vs-processes"
BIN = Path(sys.executable).parent
PROXY = REPO / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
START_S = 60  # seconds for the hub or a server to answer
pytestmark = [pytest.mark.pipeline, pytest.mark.timeout(900),
              pytest.mark.skipif(not (REPO / "source" / LESSON).is_dir(), reason="no lesson 1")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until(what: str, check, seconds: float = START_S):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            found = check()
        except requests.RequestException:
            found = None
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"{what} did not happen within {seconds} s")


class Hub:
    """A running hub, with an admin token and helpers to act as a user."""

    def __init__(self, url: str, token: str, root: Path):
        self.url, self.token, self.root = url, token, root
        self.tokens: dict[str, str] = {}

    def api(self, method: str, path: str, **kwargs):
        response = requests.request(method, f"{self.url}/hub/api{path}", timeout=30,
                                    headers={"Authorization": f"token {self.token}"}, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def token_for(self, user: str) -> str:
        if user not in self.tokens:
            self.tokens[user] = self.api("POST", f"/users/{user}/tokens",
                                         json={"note": "round trip test"})["token"]
        return self.tokens[user]

    def as_user(self, user: str, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.token_for(user)}"}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=120,
                                allow_redirects=False, **kwargs)

    def start_server(self, user: str) -> None:
        if self.api("GET", f"/users/{user}").get("server") is None:  # not started yet
            self.api("POST", f"/users/{user}/server")
        _wait_until(f"{user}'s server answering", lambda: self.as_user(
            user, "GET", f"/user/{user}/api/status").status_code == 200)

    def home(self, user: str) -> Path:
        return self.root / "homes" / user


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """The grading account's course: lesson 1 generated, the exchange beside it."""
    root = tmp_path_factory.mktemp("hub")
    course_dir = make_course(root / "course", REPO / "source", [LESSON])
    (root / "exchange").mkdir()
    os.chmod(root / "exchange", 0o777)
    generate_assignment(course_dir, LESSON)
    return course_dir


@pytest.fixture(scope="module")
def hub(course) -> Hub:
    """JupyterHub on 127.0.0.1 with the course's configuration; stopped, with everything it
    started, at the end."""
    if not PROXY.exists():
        pytest.fail(f"{PROXY} is missing: `make test` installs configurable-http-proxy with npm")
    root = course.parent
    config_dir = root / "jupyter-config"
    shutil.copytree(REPO / "deploy" / "singleuser" / "jupyter", config_dir)
    port, token = _free_port(), uuid.uuid4().hex
    (root / "jupyterhub_config.py").write_text(_hub_config(root, course, config_dir, port, token))
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{PROXY.parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}",
           "NBGRADER_EXCHANGE": str(root / "exchange")}
    log = open(root / "hub.log", "w")
    process = subprocess.Popen([str(BIN / "jupyterhub"), "-f", "jupyterhub_config.py"],
                               cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until("the hub answering", lambda: process.poll() is None and requests.get(
            f"{url}/hub/api/", timeout=5).status_code == 200)
        yield Hub(url, token, root)
    finally:
        _stop(process)
        log.close()
    leftovers = _processes_under(root)
    assert not leftovers, f"processes left running after the hub stopped: {leftovers}"


def _hub_config(root: Path, course: Path, config_dir: Path, port: int, token: str) -> str:
    proxy_api = _free_port()
    return f'''
import sys
sys.path.insert(0, {str(REPO / "deploy" / "hub")!r})
from course_hub import configure

c = get_config()
configure(c, course_id={COURSE_ID!r}, graders=["instructor"], students=["alice", "bob"],
          course_root={str(course)!r}, exchange={str(root / "exchange")!r},
          service_port={_free_port()},
          singleuser=[{str(BIN / "jupyterhub-singleuser")!r}, "--allow-root"],
          student_environment={{"JUPYTER_CONFIG_DIR": {str(config_dir)!r}}})
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_port = {_free_port()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api}"
c.JupyterHub.db_url = "sqlite:///{root / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(root / "cookie_secret")!r}
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(root / "homes" / "{username}")!r}
c.Spawner.cmd = [{str(BIN / "jupyterhub-singleuser")!r}]
c.Spawner.args = ["--allow-root"]
c.Spawner.start_timeout = 60
c.JupyterHub.services.append({{"name": "round-trip-test", "api_token": {token!r}}})
c.JupyterHub.load_roles.append({{"name": "round-trip-test", "services": ["round-trip-test"],
    "scopes": ["admin:users", "admin:servers", "tokens", "list:services"]}})
'''


def _stop(process: subprocess.Popen) -> None:
    """Stop the hub (it stops the servers it spawned), then anything left in its group."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def _processes_under(folder: Path) -> list[str]:
    """Live processes whose working directory lies under *folder*."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and Path(os.readlink(entry / "cwd")).is_relative_to(folder):
                found.append(f"{entry.name}: {(entry / 'cmdline').read_bytes()[:80]!r}")
        except OSError:
            continue
    return found


def _instructor(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"NBGRADER_EXCHANGE": str(course.parent / "exchange")}
    return run_nbgrader(course, *args, env=env, timeout=600)


def _answers(name: str) -> dict[str, str]:
    """Solution cells for alice; for bob, the solution with a catalogued mistake's cells."""
    source = next(iter(read_notebooks(REPO / "source" / LESSON).values()))
    cells = solution_cells(source)
    if name == "bob":
        mistake = next(m for m in load_mistakes(REPO / "tests" / "mistakes" / LESSON)
                       if m.loses > 0 and m.notebook is None)
        cells.update(mistake.cells)
    return cells


def _action(hub: Hub, user: str, action: str) -> list[dict]:
    response = hub.as_user(user, "POST", f"/user/{user}/assignments/{action}",
                           params={"course_id": COURSE_ID, "assignment_id": LESSON})
    assert response.status_code == 200, response.text[:500]
    answer = json.loads(response.text)
    assert answer.get("success", True) is not False, answer
    return answer


class TestRoundTrip:
    def test_release_fetch_submit_collect_grade_feedback(self, hub, course):
        """The instructor releases, students fetch and submit (bob late), the instructor collects,
        grades and releases feedback, and each student fetches feedback with their own score."""
        _instructor(course, "release_assignment", LESSON, "--force")
        for user in ("alice", "bob"):
            hub.start_server(user)
            listed = hub.as_user(user, "GET", f"/user/{user}/assignments",
                                 params={"course_id": COURSE_ID}).json()
            assert [a["assignment_id"] for a in listed["value"]] == [LESSON], listed
            _action(hub, user, "fetch")
            folder = hub.home(user) / COURSE_ID / LESSON
            (path,) = folder.glob("*.ipynb")
            answered = build_submission(nbformat.read(path, as_version=4), _answers(user))
            saved = hub.as_user(user, "PUT", f"/user/{user}/api/contents/"
                                f"{path.relative_to(hub.home(user))}",
                                json={"type": "notebook", "format": "json",
                                      "content": json.loads(nbformat.writes(answered))})
            assert saved.status_code in (200, 201), saved.text[:300]
            if user == "bob":  # the due date passes between the two submissions
                due = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
                _instructor(course, "db", "assignment", "add", LESSON, f"--duedate={due}")
                time.sleep(1.5)
            _action(hub, user, "submit")
        _instructor(course, "collect", LESSON)
        graded = subprocess.run([sys.executable, "-m", "grading", LESSON], cwd=course,
                                capture_output=True, text=True, timeout=600,
                                env={**os.environ, "NBGRADER_EXCHANGE": str(course.parent /
                                                                          "exchange")})
        assert graded.returncode == 0, graded.stdout[-3000:] + graded.stderr[-3000:]
        _instructor(course, "generate_feedback", LESSON, "--force")
        _instructor(course, "release_feedback", LESSON)
        _instructor(course, "export", "--to", str(course / "grades.csv"))
        rows = {row["student_id"]: row for row in _csv(course / "grades.csv")}
        assert float(rows["alice"]["late_submission_penalty"]) == 0
        assert float(rows["alice"]["score"]) == float(rows["alice"]["max_score"])
        assert float(rows["bob"]["late_submission_penalty"]) > 0, rows["bob"]
        for user in ("alice", "bob"):
            _action(hub, user, "fetch_feedback")
            (html,) = (hub.home(user) / COURSE_ID / LESSON / "feedback").glob("*/*.html")
            text = html.read_text()
            assert f"{float(rows[user]['raw_score']):g}" in text or rows[user]["raw_score"] in text
            assert "BEGIN HIDDEN TESTS" not in text, f"{user}'s feedback shows hidden tests"
            others = hub.home("bob" if user == "alice" else "alice") / COURSE_ID / LESSON
            assert not (others / "feedback" / user).exists()

    def test_only_graders_reach_the_formgrader(self, hub):
        """The course's grading service answers a grader and refuses a student; a student's own
        server has no Formgrader."""
        url = f"/services/{COURSE_ID}/formgrader/manage_assignments"
        _wait_until("the grading service answering",
                    lambda: hub.as_user("instructor", "GET", url).status_code == 200)
        assert hub.as_user("alice", "GET", url).status_code in (403, 404)
        hub.start_server("alice")
        assert hub.as_user("alice", "GET", "/user/alice/formgrader").status_code == 404


def _csv(path: Path) -> list[dict]:
    import csv

    with open(path, newline="") as file:
        return list(csv.DictReader(file))
