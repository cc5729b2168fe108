"""The environment report every lesson opens with: which Python, which GIL, how many cores.

What a lesson measures depends on the machine it runs on: a free-threaded build runs Python
threads in parallel, a busy machine shows fewer lanes running than it has cores, and the
start method decides whether worker functions must live in importable modules. ``show()``
puts those facts on top of every notebook, and :class:`Report` hands them to the prose.

Importing this module is fast: it loads no plotting or widget library.
"""

from __future__ import annotations

import html
import os
import platform
import sys
import sysconfig
from dataclasses import dataclass, field

from .start_methods import default_start_method
from .cores import limits, usable_cores

__all__ = ["PACKAGES", "BUSY_SHARE", "Report", "report", "show", "default_start_method"]

PACKAGES = ("jupyterlab", "nbgrader", "matplotlib", "ipywidgets", "ipykernel", "numpy")
# The machine counts as busy when the 1-minute load already fills this share of the usable
# cores: a run then gets fewer free cores than it asks for, and charts show less parallelism.
BUSY_SHARE = 0.5

_START_NOTES = {
    "fork": "workers start as copies of this process",
    "spawn": "workers start a fresh interpreter: worker functions must live in importable modules",
    "forkserver": "workers start from a server process: worker functions must live in "
                  "importable modules",
}


@dataclass(frozen=True)
class Report:
    """What this Python and this machine offer to concurrent code, measured when created."""

    python_version: str
    implementation: str
    free_threaded_build: bool
    gil_enabled: bool
    cores: int
    cpu_count: int | None
    load_average: tuple[float, float, float] | None
    start_method: str
    switch_interval: float
    packages: dict[str, str | None] = field(default_factory=dict)
    core_limits: dict[str, int] = field(default_factory=dict)

    @property
    def shared_machine(self) -> bool:
        """True when this process may use fewer cores than the machine has (a container's
        quota, a CPU set): the load average then counts the whole machine, not this share."""
        return self.cpu_count is not None and self.cores < self.cpu_count

    @property
    def load(self) -> float | None:
        """The 1-minute load average, or None where the platform has none (Windows)."""
        return None if self.load_average is None else self.load_average[0]

    @property
    def free_cores(self) -> float | None:
        """Usable cores left free by the 1-minute load (never below 0), or None without a load.

        On a shared machine the load is the whole machine's: free cores are what it leaves of
        the machine, capped at this process's share.
        """
        if self.load is None:
            return None
        if self.shared_machine:
            return min(float(self.cores), max(0.0, self.cpu_count - self.load))
        return max(0.0, self.cores - self.load)

    @property
    def busy(self) -> bool | None:
        """True when other work already occupies at least half the usable cores (of the
        machine's cores, on a shared machine)."""
        if self.load is None:
            return None
        cores = self.cpu_count if self.shared_machine else self.cores
        return self.load >= BUSY_SHARE * cores

    def rows(self) -> list[tuple[str, str]]:
        """The report as ``(label, value)`` rows, the way every format shows them."""
        return [
            ("Python", f"{self.python_version} ({self.implementation})"),
            ("Build", "free-threaded" if self.free_threaded_build else "standard (with a GIL)"),
            ("GIL", _gil_text(self.gil_enabled)),
            ("Cores", _cores_text(self.cores, self.cpu_count, self.core_limits)),
            ("Load", _load_text(self)),
            ("Start method", f"{self.start_method}: {_START_NOTES.get(self.start_method, '')}"
                             .rstrip(": ")),
            ("Switch interval", f"{self.switch_interval * 1000:g} ms"),
            ("Packages", _packages_text(self.packages)),
        ]

    def __str__(self) -> str:
        width = max(len(label) for label, _ in self.rows())
        return "\n".join(f"{label:<{width}}  {value}" for label, value in self.rows())

    def _repr_markdown_(self) -> str:
        lines = ["| | |", "|---|---|"]
        lines += [f"| **{label}** | {value.replace('|', '/')} |" for label, value in self.rows()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cells = "".join(f"<tr><th style='text-align:left'>{html.escape(label)}</th>"
                        f"<td style='text-align:left'>{html.escape(value)}</td></tr>"
                        for label, value in self.rows())
        return f"<table class='course-doctor'>{cells}</table>"


def report(packages: tuple[str, ...] = PACKAGES) -> Report:
    """Measure this Python and this machine.

    Args:
        packages: distribution names whose installed versions the report lists.

    Returns:
        A :class:`Report`; a package that is not installed shows version None.
    """
    return Report(
        python_version=platform.python_version(),
        implementation=platform.python_implementation(),
        free_threaded_build=bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        gil_enabled=gil_enabled(),
        cores=usable_cores(),
        cpu_count=os.cpu_count(),
        core_limits=limits(),
        load_average=_load_average(),
        start_method=default_start_method(),
        switch_interval=sys.getswitchinterval(),
        packages={name: _version(name) for name in packages},
    )


def show(current: Report | None = None) -> None:
    """Display the report: a table in a notebook, plain text elsewhere.

    Args:
        current: a report to show; by default a fresh one is measured.
    """
    current = report() if current is None else current
    display = _notebook_display()
    if display is None:
        print(current)
    else:
        display(current)


def gil_enabled() -> bool:
    """True when the GIL is on right now (always on before Python 3.13)."""
    probe = getattr(sys, "_is_gil_enabled", None)
    return True if probe is None else bool(probe())


# --- helpers ---------------------------------------------------------------------------
def _load_average() -> tuple[float, float, float] | None:
    try:
        return tuple(round(x, 2) for x in os.getloadavg())
    except (AttributeError, OSError):  # Windows has no load average
        return None


def _version(name: str) -> str | None:
    from importlib import metadata  # loaded when a report is made: keeps the import fast
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _notebook_display():
    """IPython's display function when running in a kernel, else None."""
    shell = sys.modules.get("IPython")
    shell = shell.get_ipython() if shell is not None else None
    if shell is None or not hasattr(shell, "kernel"):
        return None
    from IPython.display import display
    return display


def _gil_text(enabled: bool) -> str:
    if enabled:
        return "enabled: threads take turns running Python code"
    return "disabled: threads can run Python code in parallel"


def _cores_text(cores: int, cpu_count: int | None, found: dict[str, int]) -> str:
    if cpu_count is None or cpu_count == cores:
        return f"{cores} usable"
    why = ", ".join(f"{where} {count}" for where, count in found.items()
                    if where != "machine" and count < cpu_count)
    return f"{cores} usable (of {cpu_count} in the machine{': ' + why if why else ''})"


def _load_text(current: Report) -> str:
    if current.load_average is None:
        return "not available on this system"
    one, five, fifteen = current.load_average
    verdict = (f"busy: about {current.free_cores:.1f} of {current.cores} cores free, so runs "
               "will show less parallelism than the cores allow" if current.busy
               else f"quiet: about {current.free_cores:.1f} of {current.cores} cores free")
    whose = (f"; these figures are the whole machine's ({current.cpu_count} cores), not your "
             f"share of {current.cores}" if current.shared_machine else "")
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} (1, 5, 15 min), {verdict}{whose}"


def _packages_text(packages: dict[str, str | None]) -> str:
    return ", ".join(f"{name} {version or 'not installed'}" for name, version in packages.items())
