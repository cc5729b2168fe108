"""Tests for grading.validate_server: Validate's endpoint answers as nbgrader's does, from worker
processes the server awaits, at most as many at once as it allows, each bounded in time."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from grading.validate_server import ValidatePool, _jupyter_server_extension_points, usable_cores

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 60  # bound on every wait for a worker, a file or a server

# A stand-in for `python -m grading.validate`: one request line in, one answer line out. What it
# does depends on the notebook's name; it leaves <name>.pid, .started and .done files around it.
FAKE_WORKER = textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    path = Path(json.loads(line)["path"])
    Path(f"{path}.pid").write_text(str(os.getpid()))
    Path(f"{path}.runtime").write_text(os.environ["COURSE_VALIDATE_RUNTIME"])
    Path(f"{path}.started").write_text(str(sorted(p.name for p in path.parent.glob("*.done"))))
    if path.name == "hang":
        time.sleep(600)
    if path.name == "die":
        sys.exit(3)
    while path.name.startswith("gate") and not Path(path.parent, "go").exists():
        time.sleep(0.05)
    Path(f"{path}.done").write_text("")
    print(json.dumps({"success": True, "value": {"path": str(path)}}), flush=True)
""")


@pytest.fixture
def fake(tmp_path) -> list[str]:
    script = tmp_path / "fake_worker.py"
    script.write_text(FAKE_WORKER)
    return [sys.executable, str(script)]


def pool(fake, **options) -> ValidatePool:
    return ValidatePool(**{"workers": 1, "timeout": WAIT_S, "grace": 1, "warm": 0,
                           "command": fake, **options})


async def wait_for_file(path: Path) -> None:
    deadline = time.monotonic() + WAIT_S
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} did not appear within {WAIT_S} s"
        await asyncio.sleep(0.05)


def gone(pid_file: Path) -> bool:
    """Whether the process whose pid the fake worker wrote has exited."""
    try:
        return psutil.Process(int(pid_file.read_text())).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


class TestValidatePool:
    def test_answers_with_the_workers_response(self, fake, tmp_path):
        """The response is the worker's answer, unchanged."""
        async def main():
            validator = pool(fake)
            try:
                return await validator.validate(str(tmp_path / "nb"))
            finally:
                await validator.close()

        assert asyncio.run(main()) == {"success": True, "value": {"path": str(tmp_path / "nb")}}

    def test_worker_runtime_folder_is_its_own_and_goes(self, fake, tmp_path):
        """Each worker gets a runtime folder of its own (its kernels' sockets), removed when
        it ends, even killed."""
        async def main():
            validator = pool(fake, workers=2, timeout=1)
            try:
                await asyncio.gather(validator.validate(str(tmp_path / "nb")),
                                     validator.validate(str(tmp_path / "hang")))
            finally:
                await validator.close()

        asyncio.run(main())
        folders = [Path((tmp_path / f"{name}.runtime").read_text()) for name in ("nb", "hang")]
        assert folders[0] != folders[1]
        assert not any(folder.exists() for folder in folders)

    def test_one_worker_runs_one_at_a_time(self, fake, tmp_path):
        """With one worker, the second validation starts after the first has answered."""
        async def main():
            validator = pool(fake, workers=1)
            try:
                await asyncio.gather(validator.validate(str(tmp_path / "a")),
                                     validator.validate(str(tmp_path / "b")))
            finally:
                await validator.close()

        asyncio.run(main())
        seen = {name: (tmp_path / f"{name}.started").read_text() for name in "ab"}
        assert "['a.done']" in seen.values() or "['b.done']" in seen.values(), seen
        assert "[]" in seen.values(), seen

    def test_workers_run_at_once(self, fake, tmp_path):
        """With two workers, two validations run at the same time (each waits for the other)."""
        async def main():
            validator = pool(fake, workers=2)
            try:
                both = asyncio.gather(validator.validate(str(tmp_path / "gate1")),
                                      validator.validate(str(tmp_path / "gate2")))
                await asyncio.gather(wait_for_file(tmp_path / "gate1.started"),
                                     wait_for_file(tmp_path / "gate2.started"))
                assert validator.running == 2
                (tmp_path / "go").write_text("")
                return await both
            finally:
                (tmp_path / "go").write_text("")
                await validator.close()

        assert [r["success"] for r in asyncio.run(main())] == [True, True]

    def test_out_of_time_is_stopped_and_said(self, fake, tmp_path):
        """A worker that does not answer in time is killed, and the dialog says why."""
        async def main():
            validator = pool(fake, timeout=1)
            try:
                return await validator.validate(str(tmp_path / "hang"))
            finally:
                await validator.close()

        response = asyncio.run(main())
        assert response == {"success": False, "value": (
            "Validate did not finish within 1 s, so it was stopped. Does a cell never end (a "
            "deadlock, an endless loop)? Restart the kernel and run the notebook to find it.")}
        assert gone(tmp_path / "hang.pid")

    def test_dead_worker_is_said(self, fake, tmp_path):
        """A worker that exits without answering gives a message naming its exit code."""
        async def main():
            validator = pool(fake)
            try:
                return await validator.validate(str(tmp_path / "die"))
            finally:
                await validator.close()

        assert asyncio.run(main()) == {"success": False, "value": (
            "the validation worker exited (code 3) without an answer; the server log says why")}

    def test_close_stops_running_workers(self, fake, tmp_path):
        """Shutting down stops a validation in progress; it answers with an error."""
        async def main():
            validator = pool(fake)
            running = asyncio.ensure_future(validator.validate(str(tmp_path / "hang")))
            await wait_for_file(tmp_path / "hang.started")
            await validator.close()
            return await running

        assert asyncio.run(main())["success"] is False
        assert gone(tmp_path / "hang.pid")

    def test_warm_worker_takes_the_next_request(self, fake, tmp_path):
        """A warm worker, started ahead, serves the next request; another takes its place."""
        async def main():
            validator = pool(fake, warm=1)
            try:
                await validator.start()
                spare = validator._spares[0].pid
                await validator.validate(str(tmp_path / "nb"))
                deadline = time.monotonic() + WAIT_S
                while not validator._spares and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
                return spare, [worker.pid for worker in validator._spares]
            finally:
                await validator.close()

        spare, spares = asyncio.run(main())
        assert int((tmp_path / "nb.pid").read_text()) == spare
        assert len(spares) == 1 and spares[0] != spare

    def test_needs_a_worker(self, fake):
        """A pool of no workers is refused with the rule."""
        with pytest.raises(ValueError, match=r"workers must be >= 1 \(got 0\)"):
            pool(fake, workers=0)


class TestRegistration:
    def test_extension_point(self):
        """The module is a server extension point served by its ExtensionApp."""
        point, = _jupyter_server_extension_points()
        assert point["module"] == "grading.validate_server"
        assert point["app"].name == "grading_validate"

    def test_config_enables_it_in_place_of_nbgraders(self):
        """The installed server config enables this handler and disables nbgrader's, and sorts
        after nbgrader's own config file, so it wins."""
        path = REPO / "jupyter-config" / "jupyter_server_config.d" / "python-concurrency-lab.json"
        assert json.loads(path.read_text()) == {"ServerApp": {"jpserver_extensions": {
            "grading.validate_server": True,
            "nbgrader.server_extensions.validate_assignment": False}}}
        assert path.name > "nbgrader.json"

    @pytest.mark.parametrize("way_in", ["Makefile", "postBuild", "README.md"])
    def test_every_way_in_installs_the_config(self, way_in):
        """make install, Binder and the README's conda steps copy the server config, which an
        editable pip install skips."""
        text = (REPO / way_in).read_text()
        assert "jupyter-config/jupyter_server_config.d/" in text
        assert "etc/jupyter/jupyter_server_config.d/" in text

    def test_default_workers_are_the_cores(self):
        """The pool's default size is the number of cores the server may use."""
        assert usable_cores() >= 1


# --- the endpoint, on a real server -------------------------------------------------------------
GATE_TEST = textwrap.dedent("""
    import pathlib, time
    pathlib.Path("waiting").write_text("")
    deadline = time.monotonic() + {seconds}
    while not pathlib.Path("go").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pathlib.Path("go").exists(), "nobody opened the gate"
""").strip()


def start_server(workdir: Path, gate_seconds: int = 25):
    """A Jupyter server over the fixture course, with a solved copy of its notebook, a copy
    with no answers, and a "gate" notebook whose test waits up to *gate_seconds* for a file
    named go (the course's cell time limit is raised above that)."""
    import nbformat
    from cells import KERNELSPEC, graded_cell

    from grading.harness import build_submission, solution_ids

    sys.path.insert(0, str(REPO / "tests"))
    from browser.lab import LabServer, copy_course

    course = copy_course(REPO / "tests" / "fixtures", workdir / "course")
    (course / "nbgrader_config.py").write_text((REPO / "nbgrader_config.py").read_text()
                                               + f"\nc.Execute.timeout = {gate_seconds + 30}\n")
    (course / "lab" / "gate").mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(metadata={"kernelspec": KERNELSPEC}, cells=[
        graded_cell(GATE_TEST.format(seconds=gate_seconds), "gate")]),
        course / "lab" / "gate" / "gate.ipynb")
    shutil.copytree(course / "source" / "fixture", course / "solved" / "fixture")
    shutil.copytree(course / "source" / "fixture", course / "student" / "fixture")
    source = nbformat.read(course / "source" / "fixture" / "fixture.ipynb", as_version=4)
    nbformat.write(build_submission(source, {gid: "" for gid in solution_ids(source)}),
                   course / "student" / "fixture" / "fixture.ipynb")
    return LabServer(course, workdir).start()


def validate_at_the_gate(server) -> tuple[threading.Thread, dict]:
    """Press Validate on the gate notebook; return once its test waits at the gate."""
    gate = Path(server.root) / "lab" / "gate"
    answers = {}

    def press():
        try:
            answers["validate"] = request(
                server, "assignments/validate?path=lab/gate/gate.ipynb", "POST", b"",
                timeout=300)
        except OSError as error:
            answers["validate"] = error

    thread = threading.Thread(target=press)
    thread.start()
    deadline = time.monotonic() + 120
    while not (gate / "waiting").exists():
        assert time.monotonic() < deadline, "the validation never reached its test"
        time.sleep(0.05)
    return thread, answers


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server (see start_server) shared by the tests of the endpoint."""
    lab = start_server(tmp_path_factory.mktemp("validate-server"))
    try:
        yield lab
    finally:
        lab.stop()


def request(server, path: str, method: str = "GET", body: bytes | None = None, timeout=WAIT_S):
    req = urllib.request.Request(f"{server.url}/{path}", data=body, method=method,
                                 headers={"Authorization": f"token {server.token}"})
    with urllib.request.urlopen(req, timeout=timeout) as response:
        return json.loads(response.read())


@pytest.mark.xdist_group("validate-server")  # one server for the class, on one test worker
class TestEndpoint:
    NOTEBOOK = "solved/fixture/fixture.ipynb"  # its lesson cells are the source's

    def test_query_and_json_body(self, server):
        """Both of nbgrader's request forms (the button's query, the assignment list's JSON
        body) get nbgrader's response."""
        by_query = request(server, f"assignments/validate?path={self.NOTEBOOK}", "POST", b"")
        by_body = request(server, "assignments/validate", "POST",
                          json.dumps({"path": self.NOTEBOOK}).encode())
        assert by_query == by_body == {"success": True, "value": {}}

    def test_failures_as_nbgrader_lists_them(self, server):
        """Unanswered exercises fail every test, listed with its source and error."""
        answer = request(server, "assignments/validate?path=student/fixture/fixture.ipynb",
                         "POST", b"")
        failed = answer["value"]["failed"]
        assert all(set(cell) == {"source", "error", "raw_error"} for cell in failed)
        assert len(failed) == 4 and all("NameError" in cell["raw_error"] for cell in failed)

    def test_outside_root_is_refused(self, server):
        """A path outside the server's root is refused, as nbgrader refuses it."""
        with pytest.raises(urllib.error.HTTPError) as error:
            request(server, "assignments/validate?path=../../etc/passwd", "POST", b"")
        assert error.value.code == 403

    def test_version_check(self, server):
        """The button's version check answers as nbgrader's."""
        import nbgrader

        assert request(server, f"nbgrader_version?version={nbgrader.__version__}") == {
            "success": True}

    def test_server_answers_while_validating(self, server):
        """While a validation waits in its kernel, the server lists folders and opens
        notebooks; the validation then finishes."""
        thread, answers = validate_at_the_gate(server)
        try:
            listing = request(server, "api/contents/solved/fixture", timeout=20)
            notebook = request(server, f"api/contents/{self.NOTEBOOK}", timeout=20)
        finally:
            (Path(server.root) / "lab" / "gate" / "go").write_text("")
            thread.join(300)
        assert {item["name"] for item in listing["content"]} >= {"fixture.ipynb"}
        assert notebook["type"] == "notebook"
        assert answers["validate"] == {"success": True, "value": {}}


@pytest.mark.xdist_group("validate-server")
def test_stopping_the_server_stops_validations(tmp_path):
    """A server that stops while a validation runs leaves no worker or kernel behind."""
    lab = start_server(tmp_path, gate_seconds=600)  # long after the processes must be gone
    try:
        thread, _ = validate_at_the_gate(lab)
        running = psutil.Process(lab.process.pid).children(recursive=True)
    finally:
        lab.stop()
    thread.join(60)
    _, alive = psutil.wait_procs(running, timeout=WAIT_S)
    assert running and not alive, f"left running after the server stopped: {alive}"
