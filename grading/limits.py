"""Resource limits of a grading sandbox: a control group when one can be made, else rlimits.

Measured on Debian 12 (kernel 6.x), grading as root with bubblewrap's user namespace (the
sandbox's uid 65534 is root outside it):

- ``RLIMIT_NPROC`` is not enforced: neither set on bubblewrap nor set inside the sandbox, 2,000
  forks went through under a limit of 100 (the processes belong to root outside the namespace).
  It is enforced for an unprivileged grader (and for root after a setuid to an unused uid).
- A control group's ``pids.max`` is: the fork that would exceed it fails with EAGAIN
  (``BlockingIOError``) and the group's ``pids.events`` counts it. It counts threads too.
- A control group's memory limit stops the whole sandbox (kernel and children together): at
  the limit the kernel's own out-of-memory killer ends the largest process, which it counts.
  ``RLIMIT_AS`` is per process only, and counts address space (thread stacks, arenas).
- ``RLIMIT_CPU`` holds for everyone: past it a process gets SIGXCPU, then SIGKILL.
  ``RLIMIT_FSIZE`` too (Python ignores SIGXFSZ: a write past it fails with EFBIG).

So :class:`Cgroup` enforces the process and memory limits when a writable control group
hierarchy exists (cgroup v1 ``pids`` and ``memory`` controllers, or a cgroup v2 subtree with
them enabled); :func:`apply_rlimits` always sets the CPU-time limit and, without a control
group, falls back to ``RLIMIT_NPROC`` and ``RLIMIT_AS`` per process (weaker, and the process
limit holds only for a grader that is not root: :func:`enforcement` says which hold).
"""

from __future__ import annotations

import atexit
import os
import resource
import signal
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Limits", "Cgroup", "apply_rlimits", "enforcement", "CGROUP_ROOT"]

CGROUP_ROOT = Path("/sys/fs/cgroup")
MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one sandbox may use.

    Attributes:
        memory_mib: memory of the kernel and every process it starts, together (with a control
            group; per process without one).
        tasks: processes and threads at once (threads count: the kernel has about 10 of its own).
        cpu_seconds: CPU time of each process (SIGXCPU past it, SIGKILL 5 s later).
        work_mib: space of the writable copy of the submission's folder (tmpfs).
        tmp_mib: space of /tmp (tmpfs).
        shm_mib: space of /dev/shm (tmpfs: shared memory, semaphores).
    """

    memory_mib: int = 2048
    tasks: int = 512
    cpu_seconds: int = 300
    work_mib: int = 128
    tmp_mib: int = 64
    shm_mib: int = 256


def _own_cgroups(text: str | None = None) -> dict[str, str]:
    """{controller: this process's cgroup path} from /proc/self/cgroup ("" key: cgroup v2)."""
    if text is None:
        text = Path("/proc/self/cgroup").read_text()
    found = {}
    for line in text.splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            found[controller] = path
    return found


class Cgroup:
    """A control group limiting one sandbox's processes and memory; remove it with close().

    Create with :meth:`create`, which returns None (and sets ``Cgroup.problem``) when no writable
    hierarchy with the needed controllers exists. Call :meth:`attach` in the child before it
    execs (it moves the calling process), read :meth:`events` afterwards.
    """

    problem = ""  # why the last create() returned None

    def __init__(self, dirs: dict[str, Path], version: int):
        self.dirs = dirs  # {"pids": dir, "memory": dir} (the same dir twice under v2)
        self.version = version

    @classmethod
    def create(cls, name: str, limits: Limits, root: Path = CGROUP_ROOT,
               own: str | None = None) -> Cgroup | None:
        """Make the group *name* below this process's own and set *limits* on it."""
        cls.problem = ""
        _remove_unremoved(timeout=0)
        mine = _own_cgroups(own)
        made: list[Path] = []
        try:
            if (root / "pids" / "cgroup.procs").exists() and (root / "memory").is_dir():
                dirs = {c: root / c / mine.get(c, "/").lstrip("/") / name
                        for c in ("pids", "memory")}
                version = 1
            else:
                unified = root if (root / "cgroup.controllers").exists() else root / "unified"
                base = unified / mine.get("", "/").lstrip("/")
                dirs = {"pids": base / name, "memory": base / name}
                version = 2
            for folder in dict.fromkeys(dirs.values()):
                _sweep(folder.parent, name.split("-")[0])
                folder.mkdir()
                made.append(folder)
            group = cls(dirs, version)
            group._set_limits(limits)
            return group
        except OSError as error:
            for folder in reversed(made):
                try:
                    folder.rmdir()
                except OSError:
                    pass
            cls.problem = f"no writable control group ({error.strerror or error}: " \
                          f"{getattr(error, 'filename', '') or root})"
            return None

    def _set_limits(self, limits: Limits) -> None:
        memory = str(limits.memory_mib * MIB)
        if self.version == 1:
            _write(self.dirs["pids"] / "pids.max", str(limits.tasks))
            _write(self.dirs["memory"] / "memory.limit_in_bytes", memory)
            swap = self.dirs["memory"] / "memory.memsw.limit_in_bytes"
            if swap.exists():  # no swapping past the limit either
                _write(swap, memory)
        else:
            controllers = (self.dirs["pids"] / "cgroup.controllers").read_text().split()
            if not {"pids", "memory"} <= set(controllers):
                raise OSError(0, "the pids and memory controllers are not enabled for it",
                              str(self.dirs["pids"]))
            _write(self.dirs["pids"] / "pids.max", str(limits.tasks))
            _write(self.dirs["memory"] / "memory.max", memory)
            if (self.dirs["memory"] / "memory.swap.max").exists():
                _write(self.dirs["memory"] / "memory.swap.max", "0")

    def attach(self) -> None:
        """Move the calling process into the group (call in the child, before exec)."""
        pid = str(os.getpid())
        for folder in dict.fromkeys(self.dirs.values()):
            with open(folder / "cgroup.procs", "w") as file:
                file.write(pid)

    def events(self) -> dict[str, int]:
        """{"tasks": forks refused at the process limit, "oom": processes killed at the memory
        limit} so far."""
        pids = _fields(self.dirs["pids"] / "pids.events")
        if self.version == 1:
            memory = _fields(self.dirs["memory"] / "memory.oom_control")
        else:
            memory = _fields(self.dirs["memory"] / "memory.events")
        return {"tasks": pids.get("max", 0), "oom": memory.get("oom_kill", 0)}

    def pids(self) -> list[int]:
        """The processes in the group."""
        text = _read(self.dirs["pids"] / "cgroup.procs")
        return [int(line) for line in text.split()]

    def close(self, timeout: float = 5.0) -> int:
        """Kill whatever is left in the group and remove it; return how many were killed.

        A group still busy after *timeout* (a process that was stopped at the memory limit can
        take a while to exit under load) is removed later: when this process makes its next
        group, or exits.
        """
        killed: set[int] = set()
        deadline = time.monotonic() + timeout
        while True:
            for pid in self.pids():
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed.add(pid)
                except ProcessLookupError:
                    pass
            if self._remove():
                return len(killed)
            if time.monotonic() > deadline:
                _UNREMOVED.append(self)
                return len(killed)
            time.sleep(0.02)

    def _remove(self) -> bool:
        """Remove the group's folders; False while a process is still in it."""
        try:
            for folder in dict.fromkeys(self.dirs.values()):
                if folder.exists():
                    folder.rmdir()
            return True
        except OSError:
            return False


_UNREMOVED: list[Cgroup] = []


@atexit.register
def _remove_unremoved(timeout: float = 5.0) -> None:
    """Remove the groups close() had to leave (called at exit, and before making a group)."""
    deadline = time.monotonic() + timeout
    while _UNREMOVED:
        _UNREMOVED[:] = [group for group in _UNREMOVED if not group._remove()]
        if not _UNREMOVED or time.monotonic() > deadline:
            return
        time.sleep(0.05)


STALE_SECONDS = 3600


def _sweep(parent: Path, prefix: str) -> None:
    """Remove empty groups named like ours and older than an hour: left by a grader that was
    killed before it could remove them (younger ones may be another grader's, being set up)."""
    now = time.time()
    for folder in parent.glob(f"{prefix}-*"):
        try:
            if now - folder.stat().st_mtime > STALE_SECONDS and not _read(
                    folder / "cgroup.procs").strip():
                folder.rmdir()
        except OSError:
            pass


def _write(path: Path, value: str) -> None:
    with open(path, "w") as file:
        file.write(value)


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _fields(path: Path) -> dict[str, int]:
    """A flat-keyed cgroup file ("name value" lines) as a dict of ints."""
    fields = {}
    for line in _read(path).splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            fields[parts[0]] = int(parts[1])
    return fields


def apply_rlimits(limits: Limits, cgroup: bool) -> None:
    """Set the calling process's rlimits (inherited by the sandbox): CPU time, no core files,
    no file larger than the largest writable space; without a control group also RLIMIT_NPROC
    and RLIMIT_AS (per process)."""
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    largest = max(limits.work_mib, limits.tmp_mib, limits.shm_mib) * MIB
    resource.setrlimit(resource.RLIMIT_FSIZE, (largest, largest))
    if not cgroup:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.tasks, limits.tasks))
        memory = limits.memory_mib * MIB
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def enforcement(cgroup: bool, root: bool | None = None) -> dict[str, str]:
    """{limit: how it is enforced, or "NOT enforced: why"} for a sandbox with or without a
    control group, graded by root or not."""
    if root is None:
        root = os.geteuid() == 0
    if cgroup:
        return {"processes": "control group pids.max (all processes and threads)",
                "memory": "control group memory limit (all processes together)",
                "cpu": "RLIMIT_CPU (per process)"}
    return {"processes": ("NOT enforced: RLIMIT_NPROC does not hold for root and no control "
                          "group could be made") if root else "RLIMIT_NPROC (per user)",
            "memory": "RLIMIT_AS (per process, address space)",
            "cpu": "RLIMIT_CPU (per process)"}
