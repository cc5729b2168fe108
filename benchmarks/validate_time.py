"""Print how long the Validate button takes per lesson, and how JupyterLab answers meanwhile:
nbgrader's own handler against this course's (grading/validate_server.py).

    python benchmarks/validate_time.py [--repeat 1] [--lessons 02-gil ...] [--only nbgrader|course]

For each handler it starts a Jupyter server over a copy of the course (as the browser tests do),
POSTs the button's request for each lesson's release and source notebook, and, while each
validation runs, lists a folder every 0.2 s, keeping the slowest answer. nbgrader's handler runs
the whole lesson inside the server's event loop, so the listing waits for it; this course's runs
the exercises (and the lesson cells they need) in a worker process. The first request to the
course's handler finds a warm worker, as a student's usually does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the lab server of the browser tests

from browser.lab import LabServer, copy_course  # noqa: E402

HANDLERS = {  # which server extension answers assignments/validate
    "nbgrader": {"grading.validate_server": False,
                 "nbgrader.server_extensions.validate_assignment": True},
    "course": {"grading.validate_server": True,
               "nbgrader.server_extensions.validate_assignment": False},
}


class Server(LabServer):
    """The browser tests' lab server, with a chosen Validate handler."""

    def __init__(self, root: Path, workdir: Path, extensions: dict[str, bool]) -> None:
        super().__init__(root, workdir)
        self.extensions = extensions

    def _environment(self) -> dict:
        env = super()._environment()
        config = Path(env["JUPYTER_CONFIG_DIR"]) / "jupyter_server_config.json"
        config.write_text(json.dumps({"ServerApp": {"jpserver_extensions": self.extensions}}))
        return env


def call(server: Server, path: str, method: str = "GET") -> tuple[dict, float]:
    """(JSON answer, seconds) of one request."""
    request = urllib.request.Request(f"{server.url}/{path}", method=method,
                                     data=b"" if method == "POST" else None,
                                     headers={"Authorization": f"token {server.token}"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=1800) as response:
        body = json.loads(response.read())
    return body, time.perf_counter() - started


def validate(server: Server, notebook: str, folder: str) -> tuple[float, float, str]:
    """(seconds to validate, slowest folder listing meanwhile, outcome) of one press."""
    done = threading.Event()
    slowest = [0.0]

    def poll():
        while not done.is_set():
            slowest[0] = max(slowest[0], call(server, f"api/contents/{folder}")[1])
            time.sleep(0.2)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        answer, seconds = call(server, f"assignments/validate?path={notebook}", "POST")
    finally:
        done.set()
        poller.join()
    value = answer.get("value")
    if not answer.get("success"):
        outcome = "error"
    elif isinstance(value, dict) and value.get("failed"):
        outcome = f"{len(value['failed'])} failed"
    else:
        outcome = "passed" if value == {} else ",".join(value)
    return seconds, slowest[0], outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="presses per notebook")
    parser.add_argument("--lessons", nargs="*", help="lessons (default: all of source/)")
    parser.add_argument("--only", choices=sorted(HANDLERS), help="one handler only")
    args = parser.parse_args()
    lessons = args.lessons or sorted(p.name for p in (REPO / "source").glob("[0-9]*"))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'handler':9} {'notebook':48} {'validate':>9} {'listing':>8}  outcome")
    for handler in [args.only] if args.only else list(HANDLERS):
        with tempfile.TemporaryDirectory(prefix="validate-time-") as scratch:
            workdir = Path(scratch)
            server = Server(copy_course(REPO, workdir / "course"), workdir, HANDLERS[handler])
            server.start()
            try:
                time.sleep(5)  # the course's handler warms a worker as the server starts
                for lesson in lessons:
                    for kind in ("release", "source"):
                        notebook = next((REPO / kind / lesson).glob("*.ipynb"))
                        path = f"{kind}/{lesson}/{notebook.name}"
                        for _ in range(args.repeat):
                            seconds, slowest, outcome = validate(server, path, kind)
                            print(f"{handler:9} {path:48} {seconds:8.1f}s {slowest:7.2f}s  "
                                  f"{outcome}", flush=True)
            finally:
                server.stop()
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
