"""Grading kernels in a sandbox: a submission sees the system, its Python and course/, nothing else.

:class:`SandboxedKernelManager` (nbgrader_config.py gives it to ``GuardedExecute``) starts each
grading kernel under bubblewrap:

- **what it sees** (deny by default): /usr and /etc read-only (less the entries of /etc others
  may not read), the kernel's own Python (its prefixes and ``sys.path``, asked of that very
  interpreter, so the free-threaded kernel's too) and the ``course`` package read-only, a private
  /tmp, /dev and /proc. Never the course directory (source/, gradebook.db, submitted/,
  autograded/, feedback/, release/), the exchange, the instructor's home or the repository: a
  folder that contains one of those is never bound;
- **what it may write**: a copy of the submission's working folder (less its notebooks, which
  autograde has already filled with the hidden tests) on a tmpfs of ``work_mib`` at the same
  path, where the kernel starts; /tmp and /dev/shm (tmpfs, capped). All of it ends with the
  sandbox;
- **no network**: a network namespace of its own; nbgrader talks to the kernel over ZMQ's ipc
  transport, through sockets in a private folder (on the host's /dev/shm) bound into it;
- **a PID namespace of its own**: shutting the kernel down, restarting or killing it ends the
  sandbox, and every process in it dies (``--die-with-parent`` if the grader dies);
- **limits** (grading/limits.py): processes and threads, memory, CPU time, file size; when a cell
  hits one, :meth:`SandboxedKernelManager.limit_notes` says which and GuardedExecute writes it
  into the graded notebook;
- **uid 65534 (nobody) inside**, no capabilities, no user namespaces of its own.

Where bubblewrap cannot run (not installed, no user namespaces, not Linux), the kernel starts
unsandboxed, as before, and says so: a warning in the log, and :meth:`describe` in each graded
notebook's metadata, which `python -m grading` and the export's ``sandbox`` column show.
``required = True`` refuses to grade instead.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Bool, Integer, List, Unicode

from .limits import Cgroup, Limits, apply_rlimits, enforcement

__all__ = ["SandboxedKernelManager", "SandboxProvisioner", "bwrap_problem", "sandbox_gaps",
           "graded_sandboxes", "sandbox_summary", "bwrap_command",
           "choose_binds", "hidden_etc", "kernel_environment", "interpreter_paths",
           "stage_submission", "SANDBOX_KEY", "UNSANDBOXED"]

BWRAP = "bwrap"
SANDBOX_KEY = "grading_sandbox"  # graded notebooks' metadata: how they were sandboxed, or not
UNSANDBOXED = "NOT SANDBOXED"
INSIDE_UID = 65534  # nobody
HOME = "/tmp/home"
SIGXCPU_EXIT = 128 + signal.SIGXCPU  # bubblewrap exits with 128 + the signal that ended the kernel
NOTHING_HIT = {"tasks": 0, "oom": 0}

# What the kernel is told: no variable naming a host folder it cannot see and none that looks
# like a secret.
_DROPPED = re.compile(r"^(JPY_PARENT_PID|JUPYTER_.*|IPYTHONDIR|MPLCONFIGDIR|XDG_.*"
                      r"|.*(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_KEY|PRIVATE).*)$", re.I)

# Asked of the kernel's own interpreter: where its Python lives and where the packages are
# imported from (an editable install points into the repository). It also builds matplotlib's
# font list once, when asked to (MPLCONFIGDIR), for every sandbox to copy.
_PROBE = """\
import importlib.util, json, os, sys
if os.environ.get("MPLCONFIGDIR"):
    try:
        import matplotlib.font_manager
    except Exception:
        pass
packages = {}
for name in sys.argv[1:]:
    spec = importlib.util.find_spec(name)
    packages[name] = list(spec.submodule_search_locations or []) if spec else []
print(json.dumps({"prefixes": [sys.prefix, sys.base_prefix, sys.exec_prefix,
                               sys.base_exec_prefix],
                  "path": [p for p in sys.path if p], "packages": packages,
                  "executable": os.path.realpath(sys.executable)}))
"""


@functools.lru_cache(maxsize=None)
def bwrap_problem(bwrap: str = BWRAP) -> str:
    """Why bubblewrap cannot sandbox a kernel here ("" when it can): tried once per process."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap needs Linux (this is {sys.platform})"
    path = shutil.which(bwrap)
    if not path:
        return ("bubblewrap is not installed (Debian: apt-get install bubblewrap; `make test` "
                "installs it when run as root)")
    trial = [path, "--ro-bind", "/", "/", "--unshare-all", "--unshare-user", "--uid",
             str(INSIDE_UID), "--gid", str(INSIDE_UID), "--die-with-parent", "--", "true"]
    try:
        result = subprocess.run(trial, capture_output=True, text=True, timeout=30,
                                stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not start: {error}"
    if result.returncode != 0:
        why = result.stderr.strip().splitlines()[-1:] or [f"exit code {result.returncode}"]
        return f"bubblewrap cannot make a sandbox here ({why[0]}): user namespaces disabled?"
    return ""


def sandbox_gaps(limits: Limits | None = None) -> list[str]:
    """What this machine's sandbox would not enforce ([] when bubblewrap runs and every limit
    holds): for tests, and for instructors checking a grading machine."""
    problem = bwrap_problem()
    if problem:
        return [f"{UNSANDBOXED}: {problem}"]
    group = Cgroup.create(f"grading-check-{uuid.uuid4().hex[:8]}", limits or Limits())
    if group is not None:
        group.close()
    return [f"{name} limit {how}" for name, how in enforcement(group is not None).items()
            if how.startswith("NOT")]


def graded_sandboxes(course_root: Path | str, assignment: str) -> dict[tuple[str, str], str]:
    """{(student, notebook file): how it was sandboxed} for the graded notebooks of an
    assignment, from their metadata (UNSANDBOXED when they do not say)."""
    found = {}
    for path in sorted(Path(course_root, "autograded").glob(f"*/{assignment}/*.ipynb")):
        try:
            metadata = json.loads(path.read_text()).get("metadata", {})
        except (OSError, ValueError):
            continue
        found[(path.parent.parent.name, path.name)] = metadata.get(
            SANDBOX_KEY, f"{UNSANDBOXED}: graded before the sandbox existed, or without "
                         "grading/execute.py's GuardedExecute")
    return found


def sandbox_summary(descriptions) -> str:
    """One line for the end of a grading run: all sandboxed, or, loudly, how many were not."""
    descriptions = list(descriptions)
    if not descriptions:
        return "Sandbox: no graded notebook to report on."
    bare = [d for d in descriptions if d.startswith(UNSANDBOXED)]
    if not bare:
        weak = sorted({d.split(" (", 1)[1].rstrip(")") for d in descriptions if " (" in d})
        return (f"Sandbox: all {len(descriptions)} graded notebook(s) ran in bubblewrap"
                + (f", but {'; '.join(weak)}" if weak else "") + ".")
    reasons = "; ".join(sorted({d.split(": ", 1)[-1] for d in bare}))
    return (f"{UNSANDBOXED}: {len(bare)} of {len(descriptions)} graded notebook(s) ran with the "
            f"grader's own permissions ({reasons}): a submission could read source/, the "
            "gradebook and other submissions, and change them. README.md, section Grading, "
            "says what to do.")


def seed_folder(executable: str) -> Path:
    """Files copied into each sandbox's home for a kernel's interpreter: matplotlib's font list,
    built once here rather than in every sandbox (2 s each)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    digest = hashlib.sha256(os.path.abspath(executable).encode()).hexdigest()[:16]
    return cache / "concurrency-lab" / "sandbox-home" / digest


@functools.lru_cache(maxsize=None)
def interpreter_paths(executable: str, packages: tuple[str, ...] = ("course",)) -> dict:
    """Where a kernel's interpreter keeps its Python, asked of it once per grading process;
    fills its seed folder on first use."""
    env = {k: v for k, v in os.environ.items() if not _DROPPED.match(k)}
    fonts = seed_folder(executable) / ".cache" / "matplotlib"
    try:
        if not any(fonts.glob("fontlist-*.json")):
            fonts.mkdir(parents=True, exist_ok=True)
            env["MPLCONFIGDIR"] = str(fonts)
    except OSError:  # no cache folder: each sandbox builds its own
        pass
    # From /: the probe must find the packages where the kernel will, not in the grader's folder.
    result = subprocess.run([executable, "-c", _PROBE, *packages], capture_output=True,
                            text=True, timeout=300, stdin=subprocess.DEVNULL, env=env, cwd="/")
    if result.returncode != 0:
        raise RuntimeError(f"could not ask {executable} where its Python lives:\n"
                           f"{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def choose_binds(candidates, protected, allowed_within=(), system=("/usr",)) -> list[str]:
    """The folders to bind read-only: *candidates*, less any that would show a protected one.

    A candidate is dropped when it does not exist, when a chosen or *system* folder holds it
    already, when it contains a protected folder (binding it would show that folder), or when it
    lies inside a protected folder and inside no *allowed_within* folder (the Python environment
    and the course package may live in the repository; nothing else of it may show).

    Returns:
        Real paths, shortest first.
    """
    def real(paths):
        return [Path(os.path.realpath(p)) for p in paths if p]

    protected, allowed, chosen = real(protected), real(allowed_within), real(system)
    picked: list[Path] = []
    for candidate in sorted(set(real(candidates)), key=lambda p: (len(p.parts), str(p))):
        if not candidate.is_dir() or any(_inside(candidate, c) for c in chosen):
            continue
        if any(_inside(p, candidate) for p in protected):
            continue
        if (any(_inside(candidate, p) for p in protected)
                and not any(_inside(candidate, a) for a in allowed)):
            continue
        chosen.append(candidate)
        picked.append(candidate)
    return [str(p) for p in picked]


@functools.lru_cache(maxsize=None)
def hidden_etc(etc: str = "/etc") -> tuple[tuple[str, bool], ...]:
    """Entries of /etc others may not read, as (path, is_dir): inside the sandbox the kernel's
    uid owns what its grader owns (root, typically), so these are covered up."""
    hidden = []
    for folder, dirs, files in os.walk(etc):
        for name in dirs + files:
            path = os.path.join(folder, name)
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                continue
            if stat.S_ISLNK(mode):
                continue
            is_dir = stat.S_ISDIR(mode)
            if not mode & stat.S_IROTH or (is_dir and not mode & stat.S_IXOTH):
                hidden.append((path, is_dir))
                if is_dir:
                    dirs.remove(name)
    return tuple(hidden)


def kernel_environment(env: dict[str, str]) -> dict[str, str]:
    """The environment a sandboxed kernel gets: *env* without host folders and secrets, with
    HOME and TMPDIR inside the sandbox."""
    kept = {k: v for k, v in env.items() if not _DROPPED.match(k)}
    kept.update(HOME=HOME, TMPDIR="/tmp", PYTHONNOUSERSITE="1")
    return kept


_NOT_STAGED = shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints")


def stage_submission(work: str | None, stage: str, most_mib: int) -> None:
    """Copy the submission's folder *work* to *stage*, less its notebooks (autograde has put the
    hidden tests back into them) and checkpoints; the sandbox copies *stage* to its tmpfs.

    Raises:
        RuntimeError: the folder holds more than *most_mib* MiB (the sandbox's writable space).
    """
    shutil.rmtree(stage, ignore_errors=True)
    if work is None:
        os.makedirs(stage)
        return
    total = 0
    for folder, dirs, files in os.walk(work):
        dirs[:] = [d for d in dirs if d not in _NOT_STAGED(folder, [d])]
        for name in set(files) - _NOT_STAGED(folder, files):
            total += os.lstat(os.path.join(folder, name)).st_size
    if total > most_mib * 1024 * 1024:
        raise RuntimeError(f"{work} holds {total / 2**20:.0f} MiB, more than the sandbox's "
                           f"writable space of {most_mib} MiB (SandboxedKernelManager.work_mib)")
    shutil.copytree(work, stage, symlinks=True, ignore=_NOT_STAGED)


def _system_binds() -> list[str]:
    """bwrap arguments for the read-only system: /usr, /etc and the usual top-level links."""
    args = []
    for name in ("usr", "etc", "bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = f"/{name}"
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path, is_dir in hidden_etc():
        args += ["--tmpfs", path] if is_dir else ["--ro-bind", "/dev/null", path]
    cpu = "/sys/devices/system/cpu"
    if os.path.isdir(cpu):  # core counts (os.cpu_count, numpy)
        args += ["--ro-bind", cpu, cpu]
    return args


def bwrap_command(kernel_cmd: list[str], *, work: str, ipc_dir: str, stage: str,
                  binds: list[str], limits: Limits, seed: str | None = None,
                  bwrap: str = BWRAP) -> list[str]:
    """The command running *kernel_cmd* in a sandbox, in a private copy of *work*.

    Args:
        kernel_cmd: the kernel's command line (its connection file in *ipc_dir*).
        work: the submission's working folder (its path only: the kernel starts in a tmpfs
            there, holding a copy of *stage*).
        ipc_dir: the folder of the connection file and ZMQ sockets, bound writable.
        stage: the submission's files to copy (see stage_submission), inside *ipc_dir*.
        binds: folders bound read-only at their own paths (the kernel's Python, course/).
        limits: sizes of the tmpfs folders.
        seed: a folder copied into the kernel's home first (see seed_folder).
    """
    mib = 1024 * 1024
    args = [bwrap, "--unshare-all", "--unshare-user", "--disable-userns",
            "--uid", str(INSIDE_UID), "--gid", str(INSIDE_UID), "--hostname", "sandbox",
            "--die-with-parent", "--new-session", "--proc", "/proc", "--dev", "/dev",
            # ipykernel polls a parent pid; 1 means none (inside, its parent is bwrap's init)
            "--setenv", "JPY_PARENT_PID", "1",
            "--size", str(limits.shm_mib * mib), "--tmpfs", "/dev/shm", *_system_binds()]
    # /tmp first: a bind below it (a course checked out under /tmp) then lands on the new tmpfs
    # instead of being hidden by it.
    args += ["--size", str(limits.tmp_mib * mib), "--tmpfs", "/tmp", "--dir", HOME]
    for path in binds:
        args += ["--ro-bind", path, path]
    copy = f"cp -a {_quote(stage)}/. ."
    if seed:
        args += ["--ro-bind", seed, "/tmp/.seed"]
        copy += f" && cp -a /tmp/.seed/. {HOME}"
    args += ["--size", str(limits.work_mib * mib), "--tmpfs", work,
             "--bind", ipc_dir, ipc_dir, "--chdir", work, "--remount-ro", "/", "--",
             "/bin/sh", "-c", f'{copy} || echo "sandbox: copying the submission failed" >&2; '
             'exec "$@"', "sandbox", *kernel_cmd]
    return args


def _quote(path: str) -> str:
    return "'" + path.replace("'", "'\\''") + "'"


def _ipc_parent() -> str:
    """Where the ipc folders go: the host's /dev/shm (a tmpfs: what a kernel writes there counts
    against its memory limit and goes with the folder), else the temporary folder."""
    return "/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()


class SandboxProvisioner(LocalProvisioner):
    """Launches the kernel under bubblewrap (see the module docstring): interrupts reach the
    kernel and its children; kill, terminate and shutdown end the whole sandbox."""

    cgroup: Cgroup | None = None
    exit_code: int | None = None
    ipc_dir: str | None = None

    async def pre_launch(self, **kwargs):
        km = self.parent
        if self.ipc_dir is None:
            self.ipc_dir = tempfile.mkdtemp(prefix="grading-", dir=_ipc_parent())
            km.transport = "ipc"
            km.ip = os.path.join(self.ipc_dir, "k")
            km.connection_file = os.path.join(self.ipc_dir, "kernel.json")
        kwargs = await super().pre_launch(**kwargs)
        cwd = kwargs.get("cwd")
        work = os.path.realpath(cwd) if cwd else None
        if work is not None:
            km.check_work(work)
        stage = os.path.join(self.ipc_dir, "submission")
        stage_submission(work, stage, km.limits.work_mib)
        work = work or "/tmp/work"  # no folder given: an empty one, inside only
        executable = kwargs["cmd"][0]
        seed = seed_folder(executable)
        kwargs["cmd"] = bwrap_command(kwargs["cmd"], work=work, ipc_dir=self.ipc_dir, stage=stage,
                                      binds=km.sandbox_binds(executable, work), limits=km.limits,
                                      seed=str(seed) if seed.is_dir() else None)
        kwargs["env"] = kernel_environment(kwargs.get("env") or os.environ)
        kwargs["cwd"] = self.ipc_dir  # bubblewrap's own; the kernel starts in `work`
        self.cgroup = Cgroup.create(f"grading-{uuid.uuid4().hex[:12]}", km.limits)
        km._started_sandbox(self.cgroup, Cgroup.problem)
        cgroup, limits = self.cgroup, km.limits

        def preexec():  # in the child, before bubblewrap runs: the sandbox inherits both
            if cgroup is not None:
                cgroup.attach()
            apply_rlimits(limits, cgroup is not None)

        kwargs["preexec_fn"] = preexec
        self.exit_code = None
        return kwargs

    async def poll(self):
        code = await super().poll()
        if code is not None and self.process is not None:
            self.exit_code = code
        return code

    async def send_signal(self, signum: int) -> None:
        """SIGINT goes to the kernel's process group (bubblewrap's init ignores it); any other
        signal ends the sandbox: bubblewrap's death kills its init, and the init's everything."""
        if self.process is None:
            return
        if signum == signal.SIGINT:
            group = self._sandbox_init()
            if group:
                try:
                    os.killpg(group, signal.SIGINT)
                except OSError:
                    pass
            return
        try:
            os.killpg(self.pgid or self.process.pid, signal.SIGKILL)
        except OSError:
            self.process.kill()

    async def terminate(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGKILL)

    def _sandbox_init(self) -> int | None:
        """The host pid of the sandbox's init, which leads the kernel's process group."""
        import psutil

        try:
            children = psutil.Process(self.process.pid).children()
        except psutil.Error:
            return None
        return children[0].pid if children else None

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart=restart)
        if self.cgroup is not None:
            self.parent._count_hits(self.cgroup.events())
            self.cgroup.close()
            self.cgroup = None
        if self.ipc_dir:
            if restart:
                shutil.rmtree(os.path.join(self.ipc_dir, "submission"), ignore_errors=True)
            else:
                shutil.rmtree(self.ipc_dir, ignore_errors=True)
                self.ipc_dir = None


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run in a bubblewrap sandbox (see the module docstring).

    nbgrader_config.py sets ``c.GuardedExecute.kernel_manager_class`` to it and its limits as
    ``c.SandboxedKernelManager.<trait>``.
    """

    enabled = Bool(True, help="Sandbox grading kernels when bubblewrap works here.").tag(
        config=True)
    required = Bool(False, help="Refuse to start a kernel without a sandbox (instead of "
                                "grading unsandboxed, loudly).").tag(config=True)
    memory_mib = Integer(Limits.memory_mib, help="MiB of memory for the kernel and all its "
                                                 "processes together.").tag(config=True)
    tasks = Integer(Limits.tasks, help="Processes and threads at once.").tag(config=True)
    cpu_seconds = Integer(Limits.cpu_seconds, help="CPU seconds per process.").tag(config=True)
    work_mib = Integer(Limits.work_mib, help="MiB of the writable copy of the submission's "
                                             "folder.").tag(config=True)
    tmp_mib = Integer(Limits.tmp_mib, help="MiB of /tmp.").tag(config=True)
    shm_mib = Integer(Limits.shm_mib, help="MiB of /dev/shm.").tag(config=True)
    packages = List(Unicode(), ["course"], help="Packages the kernel imports from outside its "
                    "Python (an editable install): bound read-only.").tag(config=True)
    protected = List(Unicode(), help="More folders the kernel must never see (the course root, "
                     "the exchange and the home folder always are).").tag(config=True)

    _cgroup_problem = ""
    _hits: dict | None = None  # limit counters not yet reported
    _seen: dict | None = None  # counters of the running sandbox already reported

    @property
    def limits(self) -> Limits:
        return Limits(self.memory_mib, self.tasks, self.cpu_seconds, self.work_mib,
                      self.tmp_mib, self.shm_mib)

    @property
    def sandboxed(self) -> bool:
        return self.enabled and not bwrap_problem()

    def describe(self) -> str:
        """One line for the graded notebook and the export: the sandbox and its limits, or
        UNSANDBOXED and why."""
        if not self.enabled:
            return f"{UNSANDBOXED}: the sandbox is off (SandboxedKernelManager.enabled)"
        problem = bwrap_problem()
        if problem:
            return f"{UNSANDBOXED}: {problem}"
        limits = self.limits
        weak = [f"{name} limit {how}" for name, how in
                enforcement(not self._cgroup_problem).items() if how.startswith("NOT")]
        return (f"bubblewrap: {limits.memory_mib} MiB, {limits.tasks} processes and threads, "
                f"{limits.cpu_seconds} CPU s per process, {limits.work_mib} MiB writable"
                + (f" ({'; '.join(weak)})" if weak else ""))

    def protected_folders(self) -> list[str]:
        """Folders the kernel must never see: the course root (nbgrader runs in it), the
        exchange, the home folder and any configured."""
        config = self.config
        root = config.get("CourseDirectory", {}).get("root")
        exchange = config.get("Exchange", {}).get("root")
        folders = [os.getcwd(), str(Path.home()), root, exchange, *self.protected]
        return [f for f in folders if isinstance(f, str) and f]

    def check_work(self, work: str) -> None:
        """Refuse a working folder that holds a protected one (its copy would show it)."""
        inside = [p for p in self.protected_folders()
                  if _inside(Path(os.path.realpath(p)), Path(work))]
        if inside:
            raise RuntimeError(f"refusing to copy {work} into a grading sandbox: it holds "
                               f"{inside[0]}, which a submission must never see")

    def sandbox_binds(self, executable: str, work: str) -> list[str]:
        """The folders a kernel run by *executable* sees read-only: its Python, the packages."""
        found = interpreter_paths(executable, tuple(self.packages))
        prefixes = found["prefixes"]
        packages = [p for paths in found["packages"].values() for p in paths]
        candidates = [*prefixes, *found["path"], *packages,
                      os.path.dirname(os.path.dirname(found["executable"]))]
        # The packages' repositories stay hidden as well (an editable install lives in one).
        protected = [*self.protected_folders(), work, *(os.path.dirname(p) for p in packages)]
        return choose_binds(candidates, protected, allowed_within=[*prefixes, *packages])

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None and self.enabled:
            problem = bwrap_problem()
            if not problem:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = SandboxProvisioner(kernel_id=self.kernel_id,
                                                      kernel_spec=self.kernel_spec, parent=self)
            elif self.required:
                raise RuntimeError(f"refusing to grade without a sandbox: {problem}")
            else:
                self.log.warning("%s: grading kernels run with the grader's permissions, so a "
                                 "submission can read source/ and the gradebook (%s). README.md, "
                                 "section Grading, lists alternatives.", UNSANDBOXED, problem)
        return await super()._async_pre_start_kernel(**kw)

    def _started_sandbox(self, cgroup: Cgroup | None, problem: str) -> None:
        self._cgroup_problem = problem
        self._seen = dict(NOTHING_HIT)

    def _count_hits(self, events: dict) -> None:
        """Keep the running sandbox's counters not yet reported (it is about to end)."""
        seen = self._seen or NOTHING_HIT
        hits = self._hits or dict(NOTHING_HIT)
        self._hits = {k: hits[k] + max(events.get(k, 0) - seen[k], 0) for k in NOTHING_HIT}
        self._seen = dict(events)

    def limit_notes(self, cell=None) -> list[str]:
        """Messages for the limits hit since the last call: from the control group's counters,
        the kernel's exit status and *cell*'s errors (without a control group)."""
        if not self.sandboxed:
            return []
        provisioner = self.provisioner
        cgroup = getattr(provisioner, "cgroup", None)
        if cgroup is not None:
            self._count_hits(cgroup.events())
        hits, self._hits = self._hits or dict(NOTHING_HIT), None
        errors = " ".join(f"{o.get('ename', '')}: {o.get('evalue', '')}" for o in
                          (cell or {}).get("outputs", []) if o.get("output_type") == "error")
        limits, notes = self.limits, []
        if hits["tasks"] or (self._cgroup_problem and "[Errno 11]" in errors):
            notes.append(f"the sandbox's limit of {limits.tasks} processes and threads was "
                         "reached: starting another one failed")
        if hits["oom"] or (self._cgroup_problem and "MemoryError" in errors):
            notes.append(f"the sandbox's memory limit ({limits.memory_mib} MiB for the kernel "
                         "and all its processes) was reached")
        if getattr(provisioner, "exit_code", None) == SIGXCPU_EXIT:
            notes.append(f"the kernel used up its {limits.cpu_seconds} s of CPU time")
        if "[Errno 28]" in errors:
            notes.append(f"the sandbox's space is full: the submission's folder holds "
                         f"{limits.work_mib} MiB, /tmp {limits.tmp_mib} MiB, /dev/shm "
                         f"{limits.shm_mib} MiB")
        if provisioner is not None:
            provisioner.exit_code = None
        return notes
