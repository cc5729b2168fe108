"""Tests for grading.sandbox and grading.limits: what a sandboxed grading kernel sees, may do and
may use, and grading without a sandbox.

The pure parts (which folders are bound, the environment, the staging copy, the command, the
control group files) are tested on temporary folders. The rest starts real kernels in bubblewrap
(about 1-2 s each); those tests skip where bubblewrap cannot run, and fail under CI, which must
prove the sandbox. tests/adversarial/ proves it end to end on every lesson.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import socket
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from cells import errors, execute, graded_cell, solution, text
from nbformat.v4 import new_code_cell

from grading import sandbox
from grading.execute import KERNEL_RESTARTED, LIMIT_REACHED
from grading.export import sandbox_cell
from grading.limits import Cgroup, Limits, apply_rlimits, enforcement
from grading.sandbox import (HOME, SANDBOX_KEY, UNSANDBOXED, SandboxedKernelManager, bwrap_command,
                             bwrap_problem, choose_binds, graded_sandboxes, kernel_environment,
                             sandbox_summary, stage_submission)

CI = os.environ.get("CI", "").lower() == "true"


def _needs_bwrap():
    problem = bwrap_problem()
    if problem:
        if CI:
            pytest.fail(f"CI must prove the sandbox: {problem}", pytrace=False)
        pytest.skip(problem)


class TestChooseBinds:
    def test_keeps_the_environment_and_hides_the_repository(self, tmp_path):
        """A venv and a package inside a repository are bound; the repository is not, nor a
        folder beside them, nor anything that holds a protected folder."""
        repo = tmp_path / "repo"
        for folder in ("course", ".venv/lib/site", "source", "tests"):
            (repo / folder).mkdir(parents=True)
        binds = choose_binds(
            candidates=[repo / ".venv", repo / ".venv/lib/site", repo / "course", repo,
                        repo / "source", tmp_path, "/nonexistent"],
            protected=[repo], allowed_within=[repo / ".venv", repo / "course"], system=())
        assert binds == [str(repo / ".venv"), str(repo / "course")]

    def test_drops_what_a_system_folder_holds(self, tmp_path):
        """A prefix under /usr is bound with /usr already."""
        assert choose_binds(["/usr/lib", str(tmp_path)], [], system=("/usr",)) == [str(tmp_path)]

    def test_a_folder_holding_home_is_never_bound(self, tmp_path):
        """A prefix of / (or of the home folder) would show everything: dropped."""
        home = tmp_path / "home"
        home.mkdir()
        assert choose_binds([tmp_path, home], [home], system=()) == []


class TestEnvironment:
    def test_drops_secrets_and_host_folders(self):
        """No token, password, Jupyter or XDG folder, or parent pid; HOME is inside."""
        env = kernel_environment({
            "PATH": "/usr/bin", "JUPYTERHUB_API_TOKEN": "t", "DB_PASSWORD": "p",
            "JPY_PARENT_PID": "1", "JUPYTER_RUNTIME_DIR": "/root/x", "XDG_CACHE_HOME": "/root",
            "AWS_SECRET_ACCESS_KEY": "k", "NBGRADER_EXECUTION": "autograde", "HOME": "/root",
            "COURSE_GRADING_KERNEL": "token"})
        assert env == {"PATH": "/usr/bin", "NBGRADER_EXECUTION": "autograde", "HOME": HOME,
                       "TMPDIR": "/tmp", "PYTHONNOUSERSITE": "1",
                       "COURSE_GRADING_KERNEL": "token"}


class TestStaging:
    def test_copies_all_but_notebooks(self, tmp_path):
        """Helper modules and data are staged; notebooks (they hold the hidden tests during
        autograde) and checkpoints are not."""
        work = tmp_path / "work"
        (work / "data" / ".ipynb_checkpoints").mkdir(parents=True)
        for name in ("lesson.ipynb", "helpers.py", "data/x.csv", "data/inner.ipynb",
                     "data/.ipynb_checkpoints/lesson-checkpoint.ipynb", ".hidden"):
            (work / name).write_text(name)
        stage = tmp_path / "stage"
        stage_submission(str(work), str(stage), most_mib=1)
        staged = sorted(str(p.relative_to(stage)) for p in stage.rglob("*") if p.is_file())
        assert staged == [".hidden", "data/x.csv", "helpers.py"]

    def test_refuses_a_folder_larger_than_the_space(self, tmp_path):
        (tmp_path / "work").mkdir()
        (tmp_path / "work" / "big.bin").write_bytes(b"x" * (2 << 20))
        with pytest.raises(RuntimeError, match="more than the sandbox's writable space of 1 MiB"):
            stage_submission(str(tmp_path / "work"), str(tmp_path / "stage"), most_mib=1)

    def test_no_folder_stages_nothing(self, tmp_path):
        stage_submission(None, str(tmp_path / "stage"), most_mib=1)
        assert list((tmp_path / "stage").iterdir()) == []


class TestCommand:
    def test_isolates_and_limits(self):
        """Every namespace, uid 65534, no user namespaces inside, dies with its parent; the
        working folder is a capped tmpfs mounted after /tmp, where the kernel starts."""
        limits = Limits(work_mib=3, tmp_mib=2, shm_mib=1)
        cmd = bwrap_command(["python", "-m", "ipykernel_launcher"], work="/tmp/c/autograded/s/a",
                            ipc_dir="/dev/shm/grading-x", stage="/dev/shm/grading-x/submission",
                            binds=["/opt/py"], limits=limits)
        for flag in ("--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
                     "--new-session"):
            assert flag in cmd
        assert cmd[cmd.index("--uid") + 1] == cmd[cmd.index("--gid") + 1] == "65534"
        assert "--share-net" not in cmd
        tmpfs = [(cmd[i + 1], cmd[i - 1]) for i, arg in enumerate(cmd) if arg == "--tmpfs"
                 and cmd[i - 2] == "--size"]
        assert ("/tmp", str(2 << 20)) in tmpfs and ("/dev/shm", str(1 << 20)) in tmpfs
        assert tmpfs.index(("/tmp", str(2 << 20))) < tmpfs.index(("/tmp/c/autograded/s/a",
                                                                   str(3 << 20)))
        assert cmd[cmd.index("--chdir") + 1] == "/tmp/c/autograded/s/a"
        assert ["--ro-bind", "/opt/py", "/opt/py"] == cmd[cmd.index("/opt/py") - 1:][:3]
        assert cmd[-3:] == ["python", "-m", "ipykernel_launcher"]

    def test_unreadable_files_of_etc_are_covered(self, tmp_path):
        """Inside, the kernel's uid owns what root owns: what others may not read is hidden."""
        (tmp_path / "shadow").write_text("secret")
        (tmp_path / "shadow").chmod(0o640)
        (tmp_path / "private").mkdir(mode=0o700)
        (tmp_path / "hosts").write_text("127.0.0.1")
        assert set(sandbox.hidden_etc.__wrapped__(str(tmp_path))) == {
            (str(tmp_path / "shadow"), False), (str(tmp_path / "private"), True)}


class TestLimits:
    def test_cgroup_v1_files(self, tmp_path):
        """A v1 group is made under this process's own groups, with pids.max and the memory
        limit (swap included); its events are read from pids.events and memory.oom_control."""
        for controller in ("pids", "memory"):
            (tmp_path / controller / "mine").mkdir(parents=True)
        (tmp_path / "pids" / "cgroup.procs").write_text("")
        own = "8:pids:/mine\n4:memory:/mine\n0::/\n"
        group = Cgroup.create("h", Limits(memory_mib=3, tasks=7), root=tmp_path, own=own)
        assert group is not None and group.version == 1
        assert (tmp_path / "pids/mine/h/pids.max").read_text() == "7"
        assert (tmp_path / "memory/mine/h/memory.limit_in_bytes").read_text() == str(3 << 20)
        (tmp_path / "pids/mine/h/pids.events").write_text("max 4\n")
        (tmp_path / "memory/mine/h/memory.oom_control").write_text(
            "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")
        assert group.events() == {"tasks": 4, "oom": 2}

    def test_a_busy_group_is_removed_later(self, tmp_path, monkeypatch):
        """A group that cannot be removed yet is kept and removed at the next chance."""
        from grading import limits

        folder = tmp_path / "g"
        folder.mkdir()
        (folder / "busy").write_text("")  # rmdir fails, as on a group with a process in it
        monkeypatch.setattr(limits, "_UNREMOVED", [])
        group = Cgroup({"pids": folder, "memory": folder}, 2)
        assert group.close(timeout=0) == 0 and folder.exists()
        assert limits._UNREMOVED == [group]
        (folder / "busy").unlink()
        limits._remove_unremoved(timeout=0)
        assert not folder.exists() and limits._UNREMOVED == []

    def test_cgroup_v2_needs_its_controllers(self, tmp_path):
        """A v2 group without the pids and memory controllers is no limit: None, and why."""
        (tmp_path / "cgroup.controllers").write_text("cpu io")
        assert Cgroup.create("h", Limits(), root=tmp_path, own="0::/\n") is None
        assert "controllers" in Cgroup.problem
        assert not (tmp_path / "h").exists()

    def test_no_hierarchy(self, tmp_path):
        assert Cgroup.create("h", Limits(), root=tmp_path / "none", own="0::/\n") is None
        assert Cgroup.problem.startswith("no writable control group")

    def test_enforcement_says_what_does_not_hold(self):
        """Without a control group, root's process limit is not enforced, and says so."""
        assert enforcement(cgroup=False, root=True)["processes"].startswith("NOT enforced")
        assert not enforcement(cgroup=False, root=False)["processes"].startswith("NOT")
        assert not any(v.startswith("NOT") for v in enforcement(cgroup=True).values())

    def test_rlimits(self):
        """CPU time, core files, file size always; processes and address space without a
        control group."""
        code = ("import resource, json\n"
                "from grading.limits import Limits, apply_rlimits\n"
                "apply_rlimits(Limits(memory_mib=4096, tasks=99, cpu_seconds=7, work_mib=3, "
                "tmp_mib=2, shm_mib=5), cgroup=False)\n"
                "print(json.dumps({n: resource.getrlimit(getattr(resource, n))[0] for n in "
                "('RLIMIT_CPU', 'RLIMIT_CORE', 'RLIMIT_FSIZE', 'RLIMIT_NPROC', 'RLIMIT_AS')}))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, cwd=Path(__file__).parents[2]).stdout
        assert eval(out) == {"RLIMIT_CPU": 7, "RLIMIT_CORE": 0, "RLIMIT_FSIZE": 5 << 20,
                             "RLIMIT_NPROC": 99, "RLIMIT_AS": 4096 << 20}
        assert apply_rlimits and resource  # imported for the subprocess's sake


class TestWithoutBubblewrap:
    def test_grades_unsandboxed_and_says_so(self, monkeypatch, caplog):
        """No bubblewrap: the kernel runs as before, the notebook's metadata and the log say
        NOT SANDBOXED; limit notes are empty."""
        monkeypatch.setattr(sandbox, "bwrap_problem", lambda *a: "bubblewrap is not installed")
        nb, _ = execute([new_code_cell("print(6 * 7)")],
                        kernel_manager_class=SandboxedKernelManager)
        assert text(nb.cells[0]) == "42\n"
        assert nb.metadata[SANDBOX_KEY] == f"{UNSANDBOXED}: bubblewrap is not installed"

    def test_required_refuses(self, monkeypatch):
        monkeypatch.setattr(sandbox, "bwrap_problem", lambda *a: "no user namespaces")
        km = SandboxedKernelManager(kernel_name="python3", required=True)
        with pytest.raises(RuntimeError, match="refusing to grade without a sandbox"):
            asyncio.run(km.start_kernel())


class TestReports:
    """How each graded notebook was sandboxed reaches `python -m grading` and the export."""

    BOXED = "bubblewrap: 2048 MiB, 512 processes and threads, 300 CPU s per process, 128 MiB " \
            "writable"

    def test_read_from_graded_notebooks(self, tmp_path):
        for student, how in (("ann", self.BOXED), ("bob", None)):
            folder = tmp_path / "autograded" / student / "a"
            folder.mkdir(parents=True)
            metadata = {SANDBOX_KEY: how} if how else {}
            (folder / "n.ipynb").write_text(json.dumps({"cells": [], "metadata": metadata}))
        found = graded_sandboxes(tmp_path, "a")
        assert found[("ann", "n.ipynb")] == self.BOXED
        assert found[("bob", "n.ipynb")].startswith(UNSANDBOXED)

    def test_summary_is_loud_when_unsandboxed(self):
        assert sandbox_summary([self.BOXED] * 3) == ("Sandbox: all 3 graded notebook(s) ran in "
                                                     "bubblewrap.")
        text = sandbox_summary([self.BOXED, f"{UNSANDBOXED}: bubblewrap is not installed"])
        assert text.startswith(f"{UNSANDBOXED}: 1 of 2 graded notebook(s) ran with the grader's "
                               "own permissions (bubblewrap is not installed)")
        weak = f"{self.BOXED} (processes limit NOT enforced: no control group)"
        assert "but processes limit NOT enforced" in sandbox_summary([weak])

    def test_export_column(self):
        assert sandbox_cell({self.BOXED}) == "bubblewrap"
        assert sandbox_cell({f"{UNSANDBOXED}: no bwrap"}) == f"{UNSANDBOXED}: no bwrap"
        assert sandbox_cell(None) == ""


# --- real kernels in bubblewrap --------------------------------------------------------------
class Kernel:
    """A sandboxed kernel started in *work*; run(code) returns (stdout, [errors])."""

    def __init__(self, work: Path, **traits):
        self.km = SandboxedKernelManager(kernel_name="python3", **traits)
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.km.start_kernel(cwd=str(work)))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.loop.run_until_complete(self.kc.wait_for_ready(timeout=60))

    def run(self, code: str, timeout: float = 60) -> tuple[str, list[str]]:
        messages = []
        self.loop.run_until_complete(self.kc.execute_interactive(
            code, timeout=timeout, output_hook=messages.append))
        out = "".join(m["content"].get("text", "") for m in messages if m["msg_type"] == "stream")
        errs = [f"{m['content']['ename']}: {m['content']['evalue']}" for m in messages
                if m["msg_type"] == "error"]
        return out, errs

    def close(self):
        self.kc.stop_channels()
        self.loop.run_until_complete(self.km.shutdown_kernel(now=False))
        self.loop.close()


@pytest.fixture
def course(tmp_path):
    """A course-like folder: the kernel works in autograded/s/a, beside secrets."""
    root = tmp_path / "course"
    work = root / "autograded" / "s" / "a"
    work.mkdir(parents=True)
    (work / "helpers.py").write_text("VALUE = 42\n")
    (work / "a.ipynb").write_text("### BEGIN HIDDEN TESTS")
    (root / "source" / "a").mkdir(parents=True)
    (root / "source" / "a" / "a.ipynb").write_text("solution")
    (root / "gradebook.db").write_text("grades")
    return root


@pytest.fixture
def kernel(course, monkeypatch):
    _needs_bwrap()
    monkeypatch.chdir(course)  # as nbgrader: the course root is where grading runs
    started = Kernel(course / "autograded" / "s" / "a")
    yield started
    started.close()


class TestInsideTheSandbox:
    def test_sees_only_its_copy(self, kernel, course):
        """uid 65534; its folder holds the helper, not the notebook; writes stay inside; the
        course, the repository's other folders and the home folder are not there."""
        out, errs = kernel.run(
            "import os, pathlib, course, helpers\n"
            "repo = pathlib.Path(course.__file__).resolve().parents[1]\n"
            "open('written.txt', 'w').write('x')\n"
            "print(os.getuid(), sorted(os.listdir('.')), helpers.VALUE)\n"
            "print(sorted(os.listdir('../../..')), sorted(os.listdir(repo)))\n"
            f"print(os.path.exists({str(Path.home())!r} + '/.bashrc'))\n"
            "try:\n"
            "    print(repr(open('/etc/shadow').read()))\n"
            "except OSError as error:\n"
            "    print(error.errno)")
        assert not errs, errs
        lines = out.splitlines()
        assert lines[0] == "65534 ['helpers.py', 'written.txt'] 42"
        assert lines[1].startswith("['autograded'] [") and "source" not in lines[1]
        assert "'course'" in lines[1] and "tests" not in lines[1]
        assert lines[2] == "False"
        assert lines[3] in ("''", "13"), "/etc/shadow is covered (root's files are the kernel's)"
        assert not (course / "autograded" / "s" / "a" / "written.txt").exists()

    def test_no_network(self, kernel):
        """A TCP server listening at 127.0.0.1 outside is out of reach."""
        with socket.create_server(("127.0.0.1", 0)) as server:
            port = server.getsockname()[1]
            out, errs = kernel.run(
                "import socket\n"
                "try:\n"
                f"    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
                "    print('connected')\n"
                "except OSError as error:\n"
                "    print('refused', error.errno)")
        assert out.startswith("refused"), out

    def test_concurrency_works(self, kernel):
        """Threads, fork/spawn/forkserver pools and shared memory work as outside."""
        out, errs = kernel.run(
            "import threading, multiprocessing as mp\n"
            "from multiprocessing import shared_memory\n"
            "threads = [threading.Thread(target=lambda: None) for _ in range(64)]\n"
            "[t.start() for t in threads]; [t.join() for t in threads]\n"
            "for method in ('fork', 'spawn', 'forkserver'):\n"
            "    with mp.get_context(method).Pool(2) as pool:\n"
            "        print(method, pool.map(abs, [-1, -2]))\n"
            "block = shared_memory.SharedMemory(create=True, size=1 << 20)\n"
            "block.buf[0] = 7; print('shm', block.buf[0]); block.close(); block.unlink()",
            timeout=120)
        assert not errs, errs
        assert out.split("\n")[:4] == ["fork [1, 2]", "spawn [1, 2]", "forkserver [1, 2]",
                                       "shm 7"]

    def test_interrupt_reaches_the_kernel(self, kernel):
        """An interrupt stops a running cell; the kernel lives on."""
        task = kernel.loop.create_task(kernel.kc.execute_interactive(
            "import time\ntry:\n    time.sleep(30)\nexcept KeyboardInterrupt:\n    print('KI')",
            timeout=60, output_hook=lambda m: None))
        kernel.loop.run_until_complete(asyncio.sleep(1.5))
        kernel.loop.run_until_complete(kernel.km.interrupt_kernel())
        reply = kernel.loop.run_until_complete(asyncio.wait_for(task, 20))
        assert reply["content"]["status"] == "ok"
        assert kernel.run("print('alive')")[0] == "alive\n"

    def test_nothing_left_after_shutdown(self, course, monkeypatch):
        """Shutting down ends the sandbox with every process in it (even one that left the
        kernel's session), and removes its folder and control group."""
        _needs_bwrap()
        monkeypatch.chdir(course)
        started = Kernel(course / "autograded" / "s" / "a")
        started.run("import subprocess\n"
                    "subprocess.Popen(['sleep', '600'], start_new_session=True)")
        provisioner = started.km.provisioner
        ipc, group, bwrap = provisioner.ipc_dir, provisioner.cgroup, provisioner.process.pid
        inside = psutil.Process(bwrap).children(recursive=True)
        assert any(p.name() == "sleep" for p in inside)
        started.close()
        gone, alive = psutil.wait_procs(inside, timeout=5)
        assert not alive, alive
        assert not os.path.exists(ipc)
        if group is not None:
            assert not any(folder.exists() for folder in group.dirs.values())


class TestLimitsInside:
    """Each limit, set low, is hit and named (GuardedExecute writes the note into the cell)."""

    @pytest.fixture(autouse=True)
    def _bwrap(self):
        _needs_bwrap()

    def test_processes(self):
        nb, _ = execute([solution("import threading, time\n"
                                  "for _ in range(200):\n"
                                  "    threading.Thread(target=time.sleep, args=(5,),"
                                  " daemon=True).start()"),
                         new_code_cell("print('next')")],
                        kernel_manager_class=SandboxedKernelManager,
                        config=_config(tasks=64))
        assert errors(nb.cells[0])[-1].startswith(f"{LIMIT_REACHED}: the sandbox's limit of 64 "
                                                  "processes and threads was reached")
        assert text(nb.cells[1]).endswith("next\n")

    def test_memory(self):
        nb, _ = execute([solution("hoard = [b'x' * (32 << 20) for _ in range(64)]"),
                         graded_cell("print('next')", "t")],
                        kernel_manager_class=SandboxedKernelManager,
                        config=_config(memory_mib=256))
        last = errors(nb.cells[0])[-1]
        assert (last.startswith(KERNEL_RESTARTED) and "memory limit (256 MiB" in last
                or "MemoryError" in " ".join(errors(nb.cells[0]))), errors(nb.cells[0])
        assert text(nb.cells[1]) == "next\n"

    def test_cpu_time(self):
        nb, _ = execute([solution("while True:\n    pass"), graded_cell("print('next')", "t")],
                        kernel_manager_class=SandboxedKernelManager, solution_timeout=30,
                        config=_config(cpu_seconds=3))
        assert "the kernel used up its 3 s of CPU time" in errors(nb.cells[0])[-1]
        assert text(nb.cells[1]) == "next\n"

    def test_space(self):
        nb, _ = execute([solution("with open('big', 'wb') as f:\n"
                                  "    for _ in range(8):\n"
                                  "        f.write(b'x' * (1 << 20)); f.flush()")],
                        kernel_manager_class=SandboxedKernelManager,
                        config=_config(work_mib=2))
        assert "No space left on device" in " ".join(errors(nb.cells[0]))
        assert "the sandbox's space is full: the submission's folder holds 2 MiB" in \
            errors(nb.cells[0])[-1]

    def test_graded_notebook_says_how(self):
        nb, _ = execute([new_code_cell("pass")], kernel_manager_class=SandboxedKernelManager)
        assert nb.metadata[SANDBOX_KEY].startswith("bubblewrap: 2048 MiB, 512 processes")


def _config(**traits):
    from traitlets.config import Config

    config = Config()
    for name, value in traits.items():
        setattr(config.SandboxedKernelManager, name, value)
    return config
