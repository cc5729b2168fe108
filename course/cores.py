"""How many cores this process may really use: the CPU set, the container's quota, and the count
Python itself reports, whichever is smallest.

A Kubernetes pod limited to 2 CPUs on a 64-core node sees 64 cores in ``os.cpu_count()`` and in
its affinity mask; only the cgroup's CPU quota says 2. Lessons size their worker pools and
charts draw their "cores" line from :func:`usable_cores`, so they match what the student has.
``COURSE_CPUS`` overrides the answer (for tests, or a deliberately smaller share).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

__all__ = ["CPUS_ENV", "usable_cores", "cpu_quota", "limits"]

CPUS_ENV = "COURSE_CPUS"
_CGROUP = Path("/sys/fs/cgroup")


def usable_cores() -> int:
    """Return the number of cores this process may run on at once (at least 1).

    Raises:
        ValueError: COURSE_CPUS is set but is not a whole number >= 1.
    """
    forced = os.environ.get(CPUS_ENV)
    if forced is not None:
        if not forced.strip().isdigit() or int(forced) < 1:
            raise ValueError(f"{CPUS_ENV} must be a whole number >= 1 (got {forced!r})")
        return int(forced)
    return min(limits().values())


def limits() -> dict[str, int]:
    """Each limit found on the cores, by where it comes from (at least the machine's count)."""
    found = {"machine": os.cpu_count() or 1}
    if hasattr(os, "sched_getaffinity"):  # Linux; macOS and Windows have no affinity call
        found["affinity"] = len(os.sched_getaffinity(0))
    if hasattr(os, "process_cpu_count"):  # Python 3.13+: affinity and -X cpu_count
        found["python"] = os.process_cpu_count() or found["machine"]
    quota = cpu_quota()
    if quota is not None:
        found["cgroup quota"] = max(1, math.ceil(quota))
    return found


def cpu_quota(root: Path | str = _CGROUP) -> float | None:
    """The container's CPU quota in cores (2.5 for "250000 100000"), or None when unlimited.

    Reads cgroup v2 (``cpu.max``) for this process's own cgroup, else cgroup v1
    (``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``).
    """
    root = Path(root)
    groups = _own_groups()
    for folder in _upwards(root, groups.get("", "")):
        quota = _read_v2(folder / "cpu.max")
        if quota is not None:
            return quota
    for controllers in ("cpu", "cpu,cpuacct", "cpuacct,cpu"):
        for folder in _upwards(root / controllers, groups.get("cpu", "")):
            quota = _read_v1(folder)
            if quota is not None:
                return quota
    return None


def _own_groups() -> dict[str, str]:
    """This process's cgroup path per hierarchy: "" for v2, "cpu" for v1's cpu controller."""
    found = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "":
            found[""] = path.strip().lstrip("/")
        elif "cpu" in controllers.split(","):
            found["cpu"] = path.strip().lstrip("/")
    return found


def _upwards(root: Path, own: str) -> list[Path]:
    """The folder of a cgroup and of each parent up to *root*, innermost first."""
    folder, found = root / own if own else root, []
    while True:
        found.append(folder)
        if folder == root or root not in folder.parents:
            return found
        folder = folder.parent


def _read_v2(path: Path) -> float | None:
    try:
        quota, period = path.read_text().split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    return int(quota) / int(period)


def _read_v1(folder: Path) -> float | None:
    try:
        quota = int((folder / "cpu.cfs_quota_us").read_text())
        period = int((folder / "cpu.cfs_period_us").read_text())
    except (OSError, ValueError):
        return None
    return quota / period if quota > 0 and period > 0 else None
