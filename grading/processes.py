"""The one process killer of grading: a process tree, or every process carrying a kernel marker.

Kernels run in sessions of their own and hostile code may leave its process group (setsid), so
grading marks each kernel's environment with a token that every descendant inherits, and kills
by that mark as well as by the tree.
"""

from __future__ import annotations

import os

import psutil

__all__ = ["MARKER", "marked_environment", "kill_marked", "kill_tree"]

# Environment variable carrying a per-kernel token: every process a kernel starts inherits it,
# including those that leave its process group (setsid), so they can be found and killed.
MARKER = "COURSE_GRADING_KERNEL"


def marked_environment(token: str) -> dict[str, str]:
    """This process's environment plus the kernel marker."""
    return {**os.environ, MARKER: token}


def kill_marked(tokens) -> int:
    """Kill every process whose environment carries one of *tokens* under MARKER.

    Args:
        tokens: kernel tokens (see GuardedExecute).

    Returns:
        How many processes were killed.
    """
    tokens = set(tokens)
    victims = []
    for process in psutil.process_iter():
        try:
            if process.pid != os.getpid() and process.environ().get(MARKER) in tokens:
                victims.append(process)
        except psutil.Error:  # gone, a zombie, or someone else's
            continue
    for process in victims:
        try:
            process.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(victims, timeout=5)
    return len(victims)




def kill_tree(pid: int, timeout: float = 10) -> int:
    """Kill a process and all its descendants; return how many were killed."""
    try:
        parent = psutil.Process(pid)
        processes = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        return 0
    return _kill(processes, timeout)


def _kill(processes: list, timeout: float) -> int:
    for process in processes:
        try:
            process.kill()
        except psutil.Error:  # gone already, or not ours to kill
            pass
    psutil.wait_procs(processes, timeout=timeout)
    return len(processes)
