"""Tests for course.doctor: the environment report shown on top of every lesson."""

import multiprocessing
import os
import platform
import subprocess
import sys

import pytest

from course import doctor
from course.doctor import Report
from course.cores import usable_cores


def make_report(load_average=(0.5, 0.4, 0.3), cores=2, **changes):
    fields = dict(python_version="3.13.5", implementation="CPython", free_threaded_build=False,
                  gil_enabled=True, cores=cores, cpu_count=cores, load_average=load_average,
                  start_method="fork", switch_interval=0.005,
                  packages={"nbgrader": "0.9.6", "numpy": None})
    fields.update(changes)
    return Report(**fields)


def run_python(code: str) -> str:
    """Run *code* in a fresh interpreter (so imports and start methods start clean)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    return done.stdout.strip()


class TestReport:
    def test_measures_this_python(self):
        """The report describes the running interpreter and machine."""
        current = doctor.report()
        assert current.python_version == platform.python_version()
        assert current.implementation == platform.python_implementation()
        assert current.cores == usable_cores() and current.cores >= 1
        assert current.start_method in multiprocessing.get_all_start_methods()
        assert current.switch_interval == sys.getswitchinterval()
        assert current.gil_enabled is doctor.gil_enabled()
        assert set(current.packages) == set(doctor.PACKAGES)
        assert current.packages["nbgrader"] is not None

    def test_missing_package_has_no_version(self):
        """A package that is not installed is listed as such."""
        current = doctor.report(packages=("no-such-package-here",))
        assert current.packages == {"no-such-package-here": None}
        assert "no-such-package-here not installed" in str(current)

    @pytest.mark.parametrize("load, cores, busy, free", [
        (0.2, 2, False, 1.8),
        (0.99, 2, False, 1.01),
        (1.0, 2, True, 1.0),
        (3.5, 2, True, 0.0),
        (2.0, 8, False, 6.0),
        (None, 2, None, None),
    ])
    def test_busy_verdict_compares_load_with_cores(self, load, cores, busy, free):
        """Busy means the 1-minute load fills at least half the usable cores."""
        current = make_report(None if load is None else (load, 0.0, 0.0), cores=cores)
        assert current.busy is busy
        assert current.free_cores == (None if free is None else pytest.approx(free))

    def test_plain_text_lists_every_row(self):
        """str() gives one aligned line per fact, with the verdict in words."""
        text = str(make_report((1.5, 1.0, 0.5)))
        assert text.splitlines() == [
            "Python           3.13.5 (CPython)",
            "Build            standard (with a GIL)",
            "GIL              enabled: threads take turns running Python code",
            "Cores            2 usable",
            "Load             1.50 / 1.00 / 0.50 (1, 5, 15 min), busy: about 0.5 of 2 cores free,"
            " so runs will show less parallelism than the cores allow",
            "Start method     fork: workers start as copies of this process",
            "Switch interval  5 ms",
            "Packages         nbgrader 0.9.6, numpy not installed",
        ]

    def test_free_threaded_spawn_and_no_load(self):
        """Other builds and platforms are described in their own words."""
        rows = dict(make_report(None, free_threaded_build=True, gil_enabled=False,
                                start_method="spawn", cpu_count=4).rows())
        assert rows["Build"] == "free-threaded"
        assert rows["GIL"] == "disabled: threads can run Python code in parallel"
        assert rows["Cores"] == "2 usable (of 4 in the machine)"
        assert rows["Load"] == "not available on this system"
        assert rows["Start method"].startswith("spawn: workers start a fresh interpreter")

    def test_a_containers_share_of_a_big_machine(self):
        """A 2-CPU quota on a 64-core node: the cores say why, the load says whose it is."""
        rows = dict(make_report((30.0, 28.0, 25.0), cores=2, cpu_count=64,
                                core_limits={"machine": 64, "affinity": 64,
                                             "cgroup quota": 2}).rows())
        assert rows["Cores"] == "2 usable (of 64 in the machine: cgroup quota 2)"
        assert rows["Load"].startswith("30.00 / 28.00 / 25.00 (1, 5, 15 min), quiet: about 2.0 "
                                       "of 2 cores free")
        assert rows["Load"].endswith("these figures are the whole machine's (64 cores), not "
                                     "your share of 2")

    def test_notebook_formats(self):
        """HTML escapes its values; markdown is a two-column table."""
        current = make_report(packages={"<pkg>": "1|2"})
        assert "&lt;pkg&gt; 1|2" in current._repr_html_()
        assert current._repr_html_().startswith("<table")
        markdown = current._repr_markdown_().splitlines()
        assert markdown[:2] == ["| | |", "|---|---|"]
        assert markdown[-1] == "| **Packages** | <pkg> 1/2 |"


class TestShow:
    def test_prints_outside_a_notebook(self, capsys, monkeypatch):
        """Without a kernel, show() prints the plain-text report."""
        monkeypatch.setattr(doctor, "_notebook_display", lambda: None)
        doctor.show(make_report())
        assert capsys.readouterr().out.startswith("Python           3.13.5 (CPython)\n")

    def test_displays_in_a_notebook(self, monkeypatch):
        """In a kernel, show() hands the report to IPython's display (a table)."""
        shown = []
        monkeypatch.setattr(doctor, "_notebook_display", lambda: shown.append)
        assert doctor.show() is None
        assert len(shown) == 1 and isinstance(shown[0], Report)


class TestProbes:
    def test_gil_enabled_follows_the_interpreter(self, monkeypatch):
        """sys._is_gil_enabled decides where present; older Pythons always have the GIL."""
        monkeypatch.delattr(sys, "_is_gil_enabled", raising=False)
        assert doctor.gil_enabled() is True
        monkeypatch.setattr(sys, "_is_gil_enabled", lambda: False, raising=False)
        assert doctor.gil_enabled() is False

    def test_no_load_average(self, monkeypatch):
        """A platform without getloadavg gives no load and no verdict."""
        def unavailable():
            raise OSError("no load average")

        monkeypatch.setattr(os, "getloadavg", unavailable)
        current = doctor.report(packages=())
        assert current.load_average is None and current.busy is None

    def test_start_method_is_not_fixed(self):
        """Reporting the start method leaves multiprocessing free to choose another."""
        out = run_python("import multiprocessing as mp; from course import doctor; "
                         "print(doctor.report().start_method, "
                         "mp.get_start_method(allow_none=True))")
        method, chosen = out.split()
        assert method in multiprocessing.get_all_start_methods() and chosen == "None"

    def test_import_is_light(self):
        """Importing the doctor loads no plotting or widget library."""
        out = run_python("import sys; from course import doctor; doctor.report(); "
                         "print(sorted(m for m in ('matplotlib', 'ipywidgets') "
                         "if m in sys.modules))")
        assert out == "[]"
