"""Tests for course.interpreters: finding other Pythons and running experiments under them."""

import json
import os
import platform
import sys
import time
from pathlib import Path

import pytest

from course._interpreters import probing, search
from course.experiments import run
from course.interpreters import (
    ENV_FREETHREADED, ENV_GIL, ENV_PYTHONS, Interpreter, current_interpreter, describe_build,
    describe_search, find_counterpart, find_interpreters, probe, run_elsewhere, time_cpu_work,
)
from course.timeline import STARTUP

HERE = current_interpreter()


def fake_python(folder: Path, name: str, body: str | None = None, **info) -> Path:
    """Write an executable script that answers the probe like a Python with *info* would,
    or runs *body* (shell) instead."""
    answer = {"version": "3.13.5", "implementation": "CPython", "free_threaded": True,
              "gil_enabled": False, "executable": str(folder / name),
              "prefix": str(folder / f"{name}-env"), "course_error": "", **info}
    script = folder / name
    script.write_text("#!/bin/sh\n" + (body or f"echo 'COURSE-PROBE {json.dumps(answer)}'\n"))
    script.chmod(0o755)
    return script


def alive(pid: int) -> bool:
    """True while *pid* runs (a zombie waiting to be reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every test asks its candidates afresh."""
    probing._clear_cache()
    yield
    probing._clear_cache()


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """No Python anywhere but where a test puts one: empty PATH, cache and variables."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("XDG_CACHE_HOME", str(empty))
    for name in (ENV_FREETHREADED, ENV_GIL, ENV_PYTHONS, "FREETHREADED_PREFIX",
                 "FREETHREADED_VENV", "PYTHON_GIL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(search, "_known_locations", lambda: [])
    return tmp_path


def free_threaded_python() -> Interpreter:
    """A free-threaded Python with the GIL off that can run the course, or skip saying why."""
    if HERE.free_threaded and not HERE.gil_enabled:
        return HERE
    found = find_counterpart()
    if found is None or not found.free_threaded:
        pytest.skip("no free-threaded Python found (make freethreaded builds one):\n"
                    + describe_search())
    return found


class TestDescribeBuild:
    @pytest.mark.parametrize("free_threaded, gil_enabled, expected", [
        (False, True, "CPython 3.13.5 with the GIL"),
        (True, False, "CPython 3.13.5 free-threaded (GIL disabled)"),
        (True, True, "CPython 3.13.5 free-threaded build with the GIL re-enabled"),
    ])
    def test_each_build(self, free_threaded, gil_enabled, expected):
        """Each combination of build and GIL state reads as its own phrase."""
        python = Interpreter("/x/python", "3.13.5", free_threaded, gil_enabled, True)
        assert describe_build(python) == expected
        assert python.label == expected

    def test_default_is_this_python(self):
        """Without an argument it describes the running Python, version included."""
        assert describe_build() == describe_build(HERE)
        assert platform.python_version() in describe_build()


class TestProbe:
    def test_finds_itself(self):
        """Probing this Python reports its version, build and GIL state, and that it is current."""
        found = probe(sys.executable)
        assert (found.version, found.free_threaded, found.gil_enabled) == (
            HERE.version, HERE.free_threaded, HERE.gil_enabled)
        assert found.has_course and found.is_current

    def test_missing_file(self, tmp_path):
        """A path with nothing there is a ValueError naming the path."""
        with pytest.raises(ValueError, match=r"no interpreter at .*nowhere: the file does not"):
            probe(tmp_path / "nowhere")

    def test_unknown_command(self, isolated):
        """A command name not on PATH is a ValueError naming it."""
        with pytest.raises(ValueError, match="no interpreter named 'python9.9t' on PATH"):
            probe("python9.9t")

    @pytest.mark.parametrize("bad, error, message", [
        (3, TypeError, r"interpreter must be an Interpreter, a path or a command name \(got int\)"),
        ("", ValueError, r"interpreter must be a path or a command name \(got ''\)"),
    ])
    def test_not_a_path(self, bad, error, message):
        """Something that is not a path is refused with the rule and the bad value."""
        with pytest.raises(error, match=message):
            probe(bad)

    def test_not_executable(self, tmp_path):
        """A file without the execute bit is a ValueError saying so."""
        plain = tmp_path / "python"
        plain.write_text("")
        with pytest.raises(ValueError, match="is not executable"):
            probe(plain)

    def test_not_a_python(self, tmp_path):
        """A program that does not answer like a Python is a RuntimeError naming it and
        quoting what it said."""
        script = fake_python(tmp_path, "liar", body="echo 'I am a shell script' >&2\nexit 3\n")
        with pytest.raises(RuntimeError, match=r"liar did not answer as a Python does "
                                               r"\(exit code 3\): I am a shell script"):
            probe(script)

    def test_too_old_cannot_run_course(self, tmp_path):
        """A Python older than the course supports is found but marked as unable to run it."""
        found = probe(fake_python(tmp_path, "python3.9", version="3.9.18",
                                  free_threaded=False, gil_enabled=True))
        assert not found.has_course
        assert "needs Python 3.10 or newer" in found.course_error

    def test_answers_are_cached(self, tmp_path):
        """A second probe of the same path does not start the program again."""
        counter = tmp_path / "count"
        answer = json.dumps({"version": "3.13.5", "implementation": "CPython",
                             "free_threaded": True, "gil_enabled": False, "executable": "/f/p",
                             "prefix": "/f", "course_error": ""})
        script = fake_python(tmp_path, "counted",
                             body=f"echo x >> '{counter}'\necho 'COURSE-PROBE {answer}'\n")
        assert probe(script) == probe(script)
        assert counter.read_text().count("x") == 1


class TestFindInterpreters:
    def test_variable_names_a_python(self, isolated, monkeypatch):
        """The free-threaded variable's Python is found, with the variable as its source."""
        monkeypatch.setenv(ENV_FREETHREADED, sys.executable)
        [found] = find_interpreters()
        assert found.is_current and found.found_by == f"${ENV_FREETHREADED}"

    def test_list_variable_and_path(self, isolated, monkeypatch):
        """COURSE_PYTHONS holds several paths; PATH is searched for the usual names."""
        one, two = fake_python(isolated, "one"), fake_python(isolated, "two")
        monkeypatch.setenv(ENV_PYTHONS, os.pathsep.join([str(one), str(two)]))
        bin_dir = isolated / "bin"
        bin_dir.mkdir()
        fake_python(bin_dir, "python3.13t")
        monkeypatch.setenv("PATH", str(bin_dir))
        found = find_interpreters()
        assert [Path(it.path).name for it in found] == ["one", "two", "python3.13t"]
        assert found[2].found_by == "python3.13t on PATH"

    def test_same_python_listed_once(self, isolated, monkeypatch):
        """Candidates that turn out to be the same binary and environment are listed once."""
        same = {"executable": "/opt/py/bin/python3.13t", "prefix": "/opt/py"}
        one, two = fake_python(isolated, "one", **same), fake_python(isolated, "two", **same)
        monkeypatch.setenv(ENV_PYTHONS, os.pathsep.join([str(one), str(two), str(one)]))
        assert len(find_interpreters()) == 1

    def test_counterpart_has_the_other_gil_state(self, isolated, monkeypatch):
        """find_counterpart returns a Python whose GIL state differs from this one's."""
        same = fake_python(isolated, "same", gil_enabled=HERE.gil_enabled)
        other = fake_python(isolated, "other", gil_enabled=not HERE.gil_enabled)
        monkeypatch.setenv(ENV_PYTHONS, os.pathsep.join([str(same), str(other)]))
        found = find_counterpart()
        assert found is not None and Path(found.path).name == "other"

    def test_counterpart_must_import_course(self, isolated, monkeypatch):
        """A counterpart that cannot import the course is passed over unless asked for."""
        other = fake_python(isolated, "other", gil_enabled=not HERE.gil_enabled,
                            course_error="ModuleNotFoundError: No module named 'course'")
        monkeypatch.setenv(ENV_FREETHREADED, str(other))
        assert find_counterpart() is None
        assert find_counterpart(require_course=False).path == str(other)

    def test_honest_when_none_found(self, isolated, monkeypatch):
        """With nothing usable, no counterpart is returned and the search report says what
        was tried, why it failed and how to get a free-threaded Python."""
        monkeypatch.setenv(ENV_FREETHREADED, str(isolated / "missing-python"))
        assert find_interpreters() == [] and find_counterpart() is None
        text = describe_search()
        assert f"${ENV_FREETHREADED}: no interpreter at {isolated / 'missing-python'}" in text
        assert "No free-threaded Python found: run `make freethreaded`" in text


class TestRunElsewhere:
    def test_threads_come_back_as_a_timeline(self):
        """Two threads run in a child Python come back as two lanes inside a window from 0,
        labelled with the build, with the child's pid."""
        result = run_elsewhere(sys.executable, "cpu", 2, size_ms=20)
        timeline = result.timeline
        assert (result.workload, result.backend, result.workers) == ("cpu", "threads", 2)
        assert len(timeline.lanes) == 2 and result.metrics.lanes == 2
        assert result.metrics.threads == 2 and result.metrics.wall_s > 0
        assert timeline.start_ns == 0 and timeline.label == f"{HERE.label}: 2 x cpu (threads)"
        assert {lane["pid"] for lane in timeline.lanes} != {os.getpid()}
        assert all(0 <= seg.start_ns <= seg.end_ns <= timeline.end_ns
                   for seg in timeline.segments())

    def test_processes_keep_their_startup(self):
        """Process workers come back in distinct processes, start-up segments included."""
        result = run_elsewhere(sys.executable, "cpu", 2, "processes", start_method="fork",
                               size_ms=10)
        assert result.metrics.processes == 2 and result.start_method == "fork"
        assert STARTUP in {seg.kind for seg in result.timeline.segments()}

    @pytest.mark.parametrize("args", [
        ("nope", 2, "threads"), ("cpu", 0, "threads"), ("cpu", 2, "fibres"),
    ])
    def test_bad_arguments_read_as_in_run(self, args):
        """Bad arguments raise the same ValueError, word for word, as experiments.run."""
        with pytest.raises(ValueError) as here:
            run(*args)
        with pytest.raises(ValueError) as there:
            run_elsewhere(sys.executable, *args)
        assert str(there.value) == str(here.value)

    def test_bad_timeout(self):
        """A timeout that is not positive is refused before anything starts."""
        with pytest.raises(ValueError, match=r"timeout must be > 0 seconds \(got 0\)"):
            run_elsewhere(sys.executable, timeout=0)

    def test_missing_interpreter(self, tmp_path):
        """A path with no Python is a ValueError naming the path."""
        with pytest.raises(ValueError, match="nowhere: the file does not exist"):
            run_elsewhere(tmp_path / "nowhere", "cpu", 1)

    def test_without_course_says_how_to_install(self, tmp_path):
        """A Python that cannot import the course gets a message naming `make freethreaded`."""
        marked = Interpreter(str(tmp_path / "py"), "3.13.5", True, False, has_course=False,
                             course_error="ModuleNotFoundError: No module named 'course'")
        with pytest.raises(RuntimeError, match=r"py cannot import the course .*make freethreaded"):
            run_elsewhere(marked, "cpu", 1)
        script = fake_python(tmp_path, "bare", body="echo \"ModuleNotFoundError: No module "
                                                    "named 'course'\" >&2\nexit 1\n")
        unmarked = Interpreter(str(script), "3.13.5", True, False, has_course=True)
        with pytest.raises(RuntimeError, match=r"bare cannot import the course.*make freethreaded"):
            run_elsewhere(unmarked, "cpu", 1)

    def test_gil_off_needs_free_threaded_build(self):
        """Asking for no GIL on a build that has one is a ValueError naming the build."""
        gil_build = Interpreter(sys.executable, "3.11.7", False, True, True)
        with pytest.raises(ValueError, match="gil=False needs a free-threaded build "
                                             r"\(got CPython 3.11.7 with the GIL"):
            run_elsewhere(gil_build, gil=False)

    def test_hung_child_is_killed(self, tmp_path):
        """A child that never answers raises TimeoutError within the bound and leaves no
        process behind, grandchildren included."""
        pid_file = tmp_path / "pid"
        script = fake_python(tmp_path, "hangs",
                             body=f"/bin/sleep 30 &\necho $! > '{pid_file}'\nwait\n")
        hung = Interpreter(str(script), "3.13.5", True, False, has_course=True)
        started = time.monotonic()
        with pytest.raises(TimeoutError, match="did not finish within 1 s"):
            run_elsewhere(hung, "cpu", 1, timeout=1)
        assert time.monotonic() - started < 10, "the timeout did not bound the call"
        deadline = time.monotonic() + 5
        while alive(int(pid_file.read_text())) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(int(pid_file.read_text())), "the child's own child was left running"


class TestFreeThreaded:
    def test_threads_run_at_once_without_gil(self):
        """On a free-threaded build two pure-Python threads are seen running at the same time
        whenever two processes are (the control: a busy machine gives neither two cores)."""
        python, missed = free_threaded_python(), []
        for _ in range(3):
            threads = run_elsewhere(python, "cpu", 2, size_ms=200)
            assert "free-threaded (GIL disabled)" in threads.timeline.label
            if threads.timeline.max_at_once() == 2:
                return
            control = run_elsewhere(python, "cpu", 2, "processes", size_ms=200)
            missed.append((threads.metrics.summary(), control.metrics.summary(),
                           control.timeline.max_at_once()))
        # Load comes and goes: only processes running at once in every try convicts threads.
        assert not all(at_once == 2 for _, _, at_once in missed), (
            f"threads never ran at once in {len(missed)} tries although processes did each "
            f"time: (threads, processes, processes at once) = {missed}")
        pytest.skip(f"no two free cores: in {len(missed)} tries processes did not always run "
                    f"at once either (last: threads {missed[-1][0]}; processes {missed[-1][1]})")

    def test_gil_switched_back_on(self):
        """With gil=True the same build takes turns again, and its label says so."""
        result = run_elsewhere(free_threaded_python(), "cpu", 2, size_ms=50, gil=True)
        assert "with the GIL re-enabled" in result.timeline.label
        assert result.timeline.max_at_once() == 1, result.metrics.summary()


class TestTimeCpuWork:
    def test_times_fixed_work(self):
        """A fixed number of iterations is timed in a child Python, in seconds."""
        assert 0 < time_cpu_work(sys.executable, iterations=10_000, repeats=2) < 30

    def test_bad_counts(self):
        """Iterations and repeats below 1 are refused."""
        with pytest.raises(ValueError, match=r"iterations and repeats must be >= 1 \(got 0, 1\)"):
            time_cpu_work(iterations=0, repeats=1)
