"""Tests for course.gil: build detection, simulated builds, turns, choices and the hash tracker."""

import hashlib
import sys
import sysconfig
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from course import gil
from course.timeline import Timeline


def _real_build():
    return (sys.version_info, sys.version, getattr(sys, "_is_gil_enabled", None),
            sysconfig.get_config_var)


class TestGilEnabled:
    def test_matches_this_interpreter(self):
        """gil_enabled() is sys._is_gil_enabled() where it exists, else True."""
        probe = getattr(sys, "_is_gil_enabled", None)
        assert gil.gil_enabled() is (True if probe is None else probe())

    @pytest.mark.parametrize("version, gil_on, free, expected", [
        ((3, 10, 0), True, False, True),
        ((3, 12, 4), True, False, True),
        ((3, 13, 5), True, False, True),
        ((3, 13, 5), False, True, False),
        ((3, 13, 5), True, True, True),
        ((3, 14, 0), False, True, False),
    ])
    def test_simulated_builds(self, version, gil_on, free, expected):
        """Every simulated build gets the right answer, and the right label."""
        with gil.simulate_build(version, gil=gil_on, free_threaded=free):
            assert gil.gil_enabled() is expected
            assert gil.free_threaded_build() is free
            label = gil.build_label()
        assert label.startswith(f"CPython {'.'.join(map(str, version))}")
        assert ("no GIL" in label) is (not expected)


class TestSimulateBuild:
    def test_restores_everything(self):
        """sys and sysconfig are restored after the block, even when it raises."""
        before = _real_build()
        with pytest.raises(RuntimeError):
            with gil.simulate_build((3, 13, 0), gil=False, free_threaded=True):
                assert sys.version_info >= (3, 13) and sys._is_gil_enabled() is False
                raise RuntimeError("boom")
        assert _real_build() == before

    def test_old_builds_have_no_probe(self):
        """Before 3.13 sys._is_gil_enabled does not exist, as on a real 3.12."""
        with gil.simulate_build((3, 12, 0)):
            assert not hasattr(sys, "_is_gil_enabled")
            assert sys.version_info.minor == 12 and "free-threading" not in sys.version

    @pytest.mark.parametrize("kwargs, message", [
        ({"version": (3, 12, 0), "free_threaded": True}, "free-threaded builds start at 3.13"),
        ({"version": (3, 13, 0), "gil": False}, "only a free-threaded build"),
    ])
    def test_impossible_builds(self, kwargs, message):
        """Builds that never existed are refused."""
        with pytest.raises(ValueError, match=message):
            with gil.simulate_build(**kwargs):
                pass


def _turn_timeline():
    return Timeline.from_segments([
        ("a", 0.000, 0.005), ("a", 0.0052, 0.010), ("b", 0.010, 0.015),
        ("a", 0.015, 0.020), ("b", 0.020, 0.022),
    ])


class TestTurns:
    def test_groups_consecutive_segments_of_a_lane(self):
        """A lane keeps its turn across a gap when no other lane ran in between."""
        found = gil.turns(_turn_timeline())
        assert [t.lane for t in found] == ["a", "b", "a", "b"]
        assert found[0].duration_ms == pytest.approx(10.0)

    def test_median_drops_the_cut_short_last_turn(self):
        """The last turn, cut short by the end of the work, is left out of the median."""
        assert gil.median_turn_ms(_turn_timeline()) == pytest.approx(5.0)
        assert gil.median_turn_ms(Timeline.from_segments([("a", 0, 0.003)])) == pytest.approx(3.0)

    def test_switch_sweep_restores_interval(self):
        """A sweep measures turns per interval and leaves the switch interval as it was."""
        before = sys.getswitchinterval()
        rows = gil.switch_sweep([1.0, 2.0], workers=2, turns_wanted=4)
        assert sys.getswitchinterval() == before
        assert [r.interval_ms for r in rows] == [1.0, 2.0]
        assert all(r.turns >= 1 and r.median_turn_ms > 0 for r in rows)

    def test_switch_sweep_bad_input(self):
        """Intervals must be positive and at least two threads must compete."""
        with pytest.raises(ValueError, match=r"switch intervals must be > 0 ms \(got 0\)"):
            gil.switch_sweep([0])
        with pytest.raises(ValueError, match=r"workers must be >= 2 to take turns \(got 1\)"):
            gil.switch_sweep([1.0], workers=1)

    def test_plot_switch_sweep(self):
        """The sweep chart states the median turn/interval ratio in its title."""
        rows = [gil.SweepRow(x, x * 1.01, 5, None) for x in (1.0, 5.0, 20.0)]
        fig = gil.plot_switch_sweep(rows, highlight=5.0)
        assert "median turn / interval = 1.01" in fig.axes[0].get_title()
        with pytest.raises(ValueError, match="rows must not be empty"):
            gil.plot_switch_sweep([])


class TestRunningIntervals:
    def test_plain_data_from_timeline(self):
        """Running segments become (start_s, end_s) pairs per lane, from the run's start."""
        timeline = Timeline.from_segments([("a", 1.0, 2.0), ("a", 2.0, 3.0, "waiting"),
                                           ("b", 1.5, 2.5)])
        assert gil.running_intervals(timeline) == {"a": [(0.0, 1.0)], "b": [(0.5, 1.5)]}


class _FakeResult:
    def __init__(self, wall, workers, max_running):
        from types import SimpleNamespace
        self.workers = workers
        self.metrics = SimpleNamespace(wall_s=wall, max_running=max_running)

    def speedup_over(self, base):
        return base.metrics.wall_s / self.metrics.wall_s


class TestChoices:
    @pytest.mark.parametrize("threads_wall, processes_wall, choice", [
        (1.0, 0.5, "processes"),   # threads 1.0x, processes 2.0x
        (0.26, 0.25, "threads"),   # both about 4x: threads are cheaper
        (1.02, 0.95, "neither"),   # nothing beats doing the tasks in turn by 20%
    ])
    def test_rule(self, threads_wall, processes_wall, choice):
        """The choice follows the measured speedups."""
        runs = {"w": {"sequential": _FakeResult(1.0, 4, 1),
                      "threads": _FakeResult(threads_wall, 4, 1),
                      "processes": _FakeResult(processes_wall, 4, 2)}}
        (row,) = gil.choice_rows(runs)
        assert row.choice == choice
        assert f"**{choice}**" in gil.choice_markdown([row])

    def test_missing_backend(self):
        """A workload without all three runs is refused, naming what is missing."""
        with pytest.raises(ValueError, match="lacks runs for processes"):
            gil.choice_rows({"cpu": {"sequential": None, "threads": None}})


class TestExplainProcesses:
    def _report(self, load, cores=2):
        from course import doctor
        return doctor.Report("3.11", "CPython", False, True, cores, cores,
                             None if load is None else (load, load, load), "fork", 0.005)

    def _result(self, share, max_running=2, lanes=4):
        from types import SimpleNamespace
        return SimpleNamespace(metrics=SimpleNamespace(
            lanes=lanes, max_running=max_running, share_2_running=share))

    def test_busy_machine_is_named(self):
        """Little overlap on a loaded machine is blamed on the load, with the numbers."""
        text = gil.explain_processes(self._result(0.05, 1), self._report(3.5))
        assert "the machine is busy" in text and "3.50" in text

    def test_quiet_machine(self):
        """Lots of overlap on a quiet machine just reports the numbers."""
        text = gil.explain_processes(self._result(0.9), self._report(0.1))
        assert "busy" not in text and "90%" in text

    def test_one_core(self):
        """On one core processes can only take turns, whatever the load."""
        text = gil.explain_processes(self._result(0.0, 1), self._report(0.1, cores=1))
        assert "only take turns" in text


class TestHashing:
    def test_sha256_hex(self):
        """sha256_hex is hashlib's hex digest and refuses non-bytes."""
        assert gil.sha256_hex(b"abc") == hashlib.sha256(b"abc").hexdigest()
        with pytest.raises(TypeError, match=r"blob must be bytes \(got str\)"):
            gil.sha256_hex("abc")

    def test_make_blobs(self):
        """Blobs are distinct, sized and repeatable."""
        blobs = gil.make_blobs(3, size=4096, seed=7)
        assert len(set(blobs)) == 3 and all(len(b) == 4096 for b in blobs)
        assert blobs == gil.make_blobs(3, size=4096, seed=7)
        with pytest.raises(ValueError, match=r"count must be >= 0 \(got -1\)"):
            gil.make_blobs(-1)


class TestHashTracker:
    def test_pool_reorders_completion(self):
        """With a pool, the first blob always finishes after another, and overlap is seen."""
        blobs = gil.make_blobs(4, size=4096)
        tracker = gil.HashTracker(blobs)
        with ThreadPoolExecutor(4) as pool:
            digests = list(pool.map(tracker, blobs))
        assert digests == [gil.sha256_hex(b) for b in blobs]
        assert tracker.finished[0] != 0 and not tracker.held_in_vain
        assert tracker.max_in_flight >= 2 and tracker.threads >= 2

    def test_later_blobs_wait_for_the_first(self):
        """A thread that grabs the later blobs before the first one starts cannot finish them
        all alone: the overlap is seen however the threads are scheduled."""
        blobs = gil.make_blobs(5, size=4096)
        tracker = gil.HashTracker(blobs, hold_s=5.0, settle_s=0.0)
        later = threading.Thread(target=lambda: [tracker(b) for b in blobs[1:]], daemon=True)
        later.start()
        time.sleep(0.2)  # the first blob starts late, as when its thread is descheduled
        first = threading.Thread(target=tracker, args=(blobs[0],), daemon=True)
        first.start()
        for thread in (later, first):
            thread.join(5.0)
            assert not thread.is_alive(), "did not finish within 5 s: deadlock?"
        assert tracker.max_in_flight == 2 and tracker.finished[-1] == 0
        assert not tracker.held_in_vain

    def test_one_thread_in_any_order_loses_one_hold(self):
        """Holds share one deadline: one thread taking the first blob last waits once, not per blob."""
        blobs = gil.make_blobs(6, size=4096)
        tracker = gil.HashTracker(blobs, hold_s=0.2)
        started = time.monotonic()
        assert [tracker(b) for b in reversed(blobs)] == [gil.sha256_hex(b) for b in reversed(blobs)]
        assert time.monotonic() - started < 2.0
        assert tracker.held_in_vain and tracker.max_in_flight == 1

    def test_one_thread_waits_in_vain(self):
        """One thread alone holds the first blob in vain, briefly, and is recorded."""
        blobs = gil.make_blobs(2, size=4096)
        tracker = gil.HashTracker(blobs, hold_s=0.05)
        assert [tracker(b) for b in blobs] == [gil.sha256_hex(b) for b in blobs]
        assert tracker.held_in_vain and tracker.threads == 1 and tracker.max_in_flight == 1

    def test_single_blob_never_holds(self):
        """A single blob has nobody to wait for, so it is hashed at once."""
        (blob,) = gil.make_blobs(1, size=4096)
        tracker = gil.HashTracker([blob], hold_s=5.0)
        done = threading.Event()
        worker = threading.Thread(target=lambda: (tracker(blob), done.set()), daemon=True)
        worker.start()
        assert done.wait(2.0), "did not finish within 2 s: the single blob was held?"
        assert not tracker.held_in_vain


def _report(load=0.1, cores=2):
    from course import doctor
    return doctor.Report("3.11", "CPython", False, True, cores, cores,
                         None if load is None else (load, load, load), "fork", 0.005)


class TestBusyCaveat:
    def test_quiet_machine_says_nothing(self):
        """No caveat when the load leaves the cores free."""
        assert gil.busy_caveat(_report(0.1)) == ""

    def test_busy_machine_gives_numbers(self):
        """A busy machine is named, with its load and cores."""
        text = gil.busy_caveat(_report(3.0))
        assert "busy" in text and "3.00" in text and "2 usable cores" in text


class TestDescriptions:
    def test_turns_of_measured_threads(self):
        """The turns paragraph quotes hand-offs, the median turn and CPU/wall."""
        from course import run
        result = run("cpu", 2, "threads", size_ms=20, switch_interval=0.002)
        text = gil.describe_turns(result, _report(0.1))
        if gil.gil_enabled():
            assert "handed the GIL over" in text and "(2 ms)" in text
        else:
            assert "without a GIL" in text
        assert f"CPU/wall **{result.metrics.cpu_over_wall:.2f}**" in text

    def test_sweep_following_the_interval(self):
        """Turns close to the interval in every run: the interval sets the turns."""
        rows = [gil.SweepRow(x, x * 1.02, 5, None) for x in (1.0, 5.0, 20.0)]
        text = gil.describe_sweep(rows, _report(0.1))
        assert "**3 of 3**" in text
        if gil.gil_enabled():
            assert "the switch interval sets the turns" in text

    def test_sweep_straying(self):
        """Turns far from the interval are reported as such, with the load."""
        rows = [gil.SweepRow(x, 7.0, 5, None) for x in (0.5, 1.0, 20.0)]
        text = gil.describe_sweep(rows, _report(3.0))
        assert "**0 of 3**" in text
        if gil.gil_enabled():
            assert "something other than the GIL" in text and "busy" in text

    def test_c_code_split(self):
        """GIL-releasing runs overlapping and 1 KiB runs not: the paragraph says so."""
        text = gil.describe_c_code({"64 KiB": 0.95, "1 KiB sha256": 0.0, "zlib": 0.8})
        assert "**95%**" in text and "hashing in 1 KiB pieces did not" in text

    def test_c_code_on_busy_machine(self):
        """A GIL-releasing run that did not overlap gets the busy caveat."""
        text = gil.describe_c_code({"64 KiB": 0.05, "1 KiB sha256": 0.0}, _report(3.0))
        assert "Not every GIL-releasing run overlapped" in text and "busy" in text

    def test_choices(self):
        """The choice sentence names each workload's choice and the hashing split."""
        rows = [gil.ChoiceRow("hash", 2, 1.9, 1.8, 2, 2, "threads"),
                gil.ChoiceRow("hash-small", 2, 1.0, 1.8, 1, 2, "processes")]
        text = gil.describe_choices(rows, _report(0.1))
        assert "**threads**" in text and "**processes**" in text and "size of the pieces" in text

    def test_build_markdown(self):
        """The build table names the interpreter and whether the GIL is on now."""
        text = gil.build_markdown()
        assert gil.build_label() in text
        assert ("| GIL right now | enabled |" in text) is gil.gil_enabled()


class TestCThreads:
    @pytest.mark.parametrize("kind", ["zlib", "numpy"])
    def test_records_each_thread(self, kind):
        """Each thread records its own lane of C work (None without numpy)."""
        timeline = gil.run_c_threads(kind, workers=2, size_ms=5)
        if timeline is None:
            pytest.importorskip("numpy")
        assert len(timeline.lanes) == 2 and not timeline.is_empty

    def test_bad_kind(self):
        """Only zlib and numpy are known."""
        with pytest.raises(ValueError, match=r"kind must be zlib or numpy \(got 'gzip'\)"):
            gil.run_c_threads("gzip")

    def test_side_by_side(self):
        """One panel per run, each titled with its finding; None runs are skipped."""
        timeline = gil.run_c_threads("zlib", workers=2, size_ms=5)
        fig = gil.plot_side_by_side([("zlib", timeline), ("missing", None)])
        assert len(fig.axes) == 1 and fig.axes[0].get_title(loc="left").startswith("zlib\n")
        with pytest.raises(ValueError, match="at least one"):
            gil.plot_side_by_side([("missing", None)])


class TestCompareBackends:
    def test_runs_every_backend(self):
        """Every backend runs the same tasks."""
        runs = gil.compare_backends("io", workers=2, size_ms=50)
        assert set(runs) == {"sequential", "threads", "processes"}
        assert all(r.workers == 2 and r.workload == "io" for r in runs.values())


class TestSwitchExplorer:
    def test_slider_reruns_and_restores(self):
        """Moving the slider reruns under that interval and leaves the old one in place."""
        before = sys.getswitchinterval()
        chart = gil.switch_explorer(turns_wanted=2)
        text = chart.update(interval_ms=1)
        assert text.startswith("switch interval 1 ms: median turn")
        assert sys.getswitchinterval() == before and chart.figure is not None


class TestDescriptionsWithoutGil:
    """The prose adapts when the interpreter has no GIL (simulated free-threaded 3.13t)."""

    def test_turns(self):
        """CPU threads on a free-threaded build are not described as taking turns."""
        from course import run
        result = run("cpu", 2, "threads", size_ms=10)
        with gil.simulate_build((3, 13, 5), gil=False, free_threaded=True):
            text = gil.describe_turns(result, _report(0.1))
        assert "**without a GIL**" in text and "handed the GIL over" not in text

    def test_sweep(self):
        """Without a GIL the sweep text says turns need not follow the interval."""
        rows = [gil.SweepRow(x, x, 5, None) for x in (1.0, 5.0)]
        with gil.simulate_build((3, 13, 5), gil=False, free_threaded=True):
            text = gil.describe_sweep(rows, _report(0.1))
        assert "without a GIL nothing hands turns over" in text

    def test_build_markdown(self):
        """The build table shows the free-threaded build and the probe's answer."""
        with gil.simulate_build((3, 13, 5), gil=False, free_threaded=True):
            text = gil.build_markdown()
        assert "free-threaded build, no GIL" in text and "| GIL right now | disabled |" in text
        assert "| `sys._is_gil_enabled()` | `False` |" in text

    def test_c_code(self):
        """Without a GIL the C-code text does not expect the 1 KiB run to take turns."""
        with gil.simulate_build((3, 13, 5), gil=False, free_threaded=True):
            text = gil.describe_c_code({"64 KiB": 0.9, "1 KiB sha256": 0.9}, _report(0.1))
        assert "even the 1 KiB pieces need not take turns" in text


class TestUnfairHandoffs:
    def test_round_robin(self):
        """a, b, c, a, b, c: every hand-off goes to the lane that waited longest."""
        rows = [(lane, i, i + 1) for i, lane in enumerate("abcabc")]
        assert gil.unfair_handoffs(Timeline.from_segments(rows)) == (0, 5)

    def test_skipping(self):
        """a, b, a, c: the GIL goes back to a while c, never run, waits."""
        rows = [(lane, i, i + 1) for i, lane in enumerate("abac")]
        assert gil.unfair_handoffs(Timeline.from_segments(rows)) == (1, 3)

    def test_no_turns(self):
        """One turn means no hand-off at all."""
        assert gil.unfair_handoffs(Timeline.from_segments([("a", 0, 1)])) == (0, 0)


# --- GIL vs free-threaded, side by side --------------------------------------------------------
def _interpreter(gil_on: bool, **changes):
    """An Interpreter record of a build with or without the GIL (nothing is run)."""
    from course.interpreters import Interpreter
    fields = dict(path=sys.executable, version="3.13.5" if not gil_on else "3.11.7",
                  free_threaded=not gil_on, gil_enabled=gil_on, has_course=True,
                  found_by="a test")
    return Interpreter(**{**fields, **changes})


def _synthetic_run(parallel: bool, wall: float = 0.4, cores: int = 2):
    """A Result-like record of 2 threads that overlap (parallel) or take turns."""
    from types import SimpleNamespace
    rows = ([("thread 1", 0, wall), ("thread 2", 0, wall)] if parallel else
            [("thread 1", 0, wall / 2), ("thread 2", 0, wall / 2, "ready"),
             ("thread 2", wall / 2, wall)])
    timeline = Timeline.from_segments(rows, cores=cores)
    return SimpleNamespace(timeline=timeline, metrics=timeline.metrics())


def _builds(spin=(0.040, 0.050), here_gil=True):
    with_gil = gil.BuildRuns(_interpreter(True), here_gil, {2: _synthetic_run(False)}, spin[0])
    without = gil.BuildRuns(_interpreter(False), not here_gil,
                            {2: _synthetic_run(True, wall=0.25)}, spin[1])
    return [with_gil, without]


class TestCounterpartMarkdown:
    def test_found(self):
        """A counterpart is named with its build, path and where it was found."""
        other = _interpreter(False, path="/opt/py/bin/python3.13t")
        text = gil.counterpart_markdown(other)
        assert "**CPython 3.13.5 free-threaded (GIL disabled)**" in text
        assert "`/opt/py/bin/python3.13t`" in text and "a test" in text

    def test_none_from_a_gil_kernel_says_how_to_get_one(self, monkeypatch):
        """Without a free-threaded Python, every way to get one is listed, and the kernel name."""
        from course import interpreters
        monkeypatch.setattr(interpreters, "current_interpreter", lambda: _interpreter(True))
        monkeypatch.setattr(interpreters, "find_counterpart", lambda **kw: None)
        text = gil.counterpart_markdown(None)
        for needed in ("`make freethreaded`", "python.org", "`python-freethreading`",
                       "`uv python install 3.13t`", "Python 3.13 (free-threaded)",
                       "this kernel alone"):
            assert needed in text, f"{needed!r} missing from: {text}"

    def test_none_from_a_free_threaded_kernel(self, monkeypatch):
        """From a free-threaded kernel, the missing build is one with the GIL."""
        from course import interpreters
        monkeypatch.setattr(interpreters, "current_interpreter", lambda: _interpreter(False))
        monkeypatch.setattr(interpreters, "find_counterpart", lambda **kw: None)
        text = gil.counterpart_markdown(None)
        assert "no Python with the GIL was found" in text and interpreters.ENV_GIL in text

    def test_found_without_the_course(self, monkeypatch):
        """A counterpart that cannot import the course is named, with the fix."""
        from course import interpreters
        broken = _interpreter(False, has_course=False, course_error="ModuleNotFoundError: x")
        monkeypatch.setattr(interpreters, "current_interpreter", lambda: _interpreter(True))
        monkeypatch.setattr(interpreters, "find_counterpart",
                            lambda require_course=True: None if require_course else broken)
        text = gil.counterpart_markdown(None)
        assert "cannot import the course (ModuleNotFoundError: x)" in text
        assert interpreters.INSTALL_HINT in text


class TestCompareBuilds:
    def test_here_only(self):
        """Without a counterpart, only this kernel runs, once per thread count."""
        (build,) = gil.compare_builds(None, workers=(2, 1), size_ms=5)
        assert build.here and build.label.endswith(", this kernel") and not build.problem
        assert sorted(build.runs) == [1, 2]
        assert [r.workers for _, r in sorted(build.runs.items())] == [1, 2]

    @pytest.mark.parametrize("workers", [(), (0,), [1, -2], "4", (True,), 4])
    def test_bad_workers(self, workers):
        """Thread counts must be a non-empty sequence of ints >= 1."""
        with pytest.raises(ValueError, match=r"workers must be a non-empty sequence of thread "
                                             r"counts >= 1 \(got "):
            gil.compare_builds(None, workers=workers)

    def test_a_broken_counterpart_is_reported_not_raised(self):
        """A counterpart that cannot run keeps the reason, and the GIL build comes first."""
        here_gil = gil.gil_enabled()
        broken = _interpreter(not here_gil, has_course=False, course_error="no course")
        builds = gil.compare_builds(broken, workers=(1,), size_ms=5)
        assert [b.gil for b in builds] == [True, False]
        other = next(b for b in builds if not b.here)
        assert other.runs == {} and "cannot import the course" in other.problem

    def test_a_slow_counterpart_runs_out_of_time(self):
        """The runs elsewhere share one deadline; running out of it is reported, not raised."""
        slow = _interpreter(not gil.gil_enabled(), path=sys.executable)  # starts in > 1 ms
        builds = gil.compare_builds(slow, workers=(1, 2), size_ms=5, timeout=0.001)
        other = next(b for b in builds if not b.here)
        assert other.runs == {} and "did not finish within 0.00" in other.problem

    def test_on_the_counterpart(self):
        """With another build on this machine, both run the same thread counts."""
        from course import interpreters
        other = interpreters.find_counterpart()
        if other is None:
            pytest.skip("no counterpart Python here: `make freethreaded` builds one")
        builds = gil.compare_builds(other, workers=(2,), size_ms=10)
        assert [b.gil for b in builds] == [True, False]
        assert all(sorted(b.runs) == [2] and not b.problem for b in builds)
        there = next(b for b in builds if not b.here)
        assert there.runs[2].timeline.label.startswith(other.label)


class TestTimeBuilds:
    def test_times_each_build_that_ran(self):
        """Each usable build gets its fixed-loop time; a broken one is left alone."""
        here = gil.BuildRuns(_interpreter(gil.gil_enabled(), path=sys.executable,
                                          prefix=sys.prefix), True)
        broken = gil.BuildRuns(_interpreter(True), False, problem="it broke")
        gil.time_builds([here, broken], iterations=1000, repeats=1)
        assert here.spin_s is not None and here.spin_s > 0
        assert broken.spin_s is None and broken.problem == "it broke"


class TestBuildsMarkdown:
    def test_one_row_per_run_and_problem(self):
        """Every run is a row with its numbers; a build that failed says why."""
        builds = _builds()
        builds[1].problem, builds[1].runs = "timed out", {}
        lines = gil.builds_markdown(builds).splitlines()
        assert lines[0].startswith("| build | threads | wall | CPU/wall |")
        assert lines[2].startswith("| CPython 3.11.7 with the GIL, this kernel | 2 | 400 ms |")
        assert lines[3] == ("| CPython 3.13.5 free-threaded (GIL disabled) | - | could not "
                            "run: timed out | | |")


class TestPlotBuilds:
    def test_two_builds_side_by_side(self):
        """Two columns of lanes over a running profile; the title compares CPU/wall."""
        fig = gil.plot_builds(_builds())
        assert len(fig.axes) == 4
        assert fig.get_suptitle() == ("The same 2 CPU-bound threads: CPU/wall 1.00 with the "
                                      "GIL vs 2.00 free-threaded")
        lanes = [ax for ax in fig.axes if ax.get_title(loc="left")]
        assert lanes[0].get_title(loc="left").startswith("CPython 3.11.7 with the GIL")
        assert "2 threads: >=2 running 100% of the time" in lanes[1].get_title(loc="left")
        assert lanes[0].get_xlim() == lanes[1].get_xlim()  # one time axis

    def test_one_build(self):
        """A single build draws one column, titled with its build."""
        fig = gil.plot_builds(_builds()[:1])
        assert len(fig.axes) == 2 and "on CPython 3.11.7 with the GIL" in fig.get_suptitle()

    def test_missing_thread_count(self):
        """Asking for a run that was not made fails with the rule."""
        with pytest.raises(ValueError, match="no build ran 8 threads"):
            gil.plot_builds(_builds(), workers=8)


class TestDescribeBuilds:
    def test_both_builds_with_overhead(self):
        """CPU/wall of both, the overhead, and the same-work comparison, with numbers."""
        text = gil.describe_builds(_builds(spin=(0.040, 0.050)), _report(0.1))
        assert "CPU/wall was **1.00** with the GIL" in text and "**2.00** free-threaded" in text
        assert "a single-thread overhead of **25%** (1.25x the time)" in text
        # 0.25 s x 1.25 = 312 ms for the same work, against 400 ms: 1.28x faster
        assert "about 312 ms against 400 ms with the GIL: **1.28x faster**" in text

    def test_overhead_that_eats_the_gain(self):
        """When the overhead outweighs the parallelism, the text says slower."""
        text = gil.describe_builds(_builds(spin=(0.040, 0.080)), _report(0.1))
        assert "**1.25x slower**" in text

    def test_no_overhead_measured(self):
        """A free-threaded loop as fast as the GIL one reports no overhead."""
        text = gil.describe_builds(_builds(spin=(0.050, 0.045)), _report(0.1))
        assert "**no single-thread overhead** here (0.90x the time)" in text

    def test_busy_machine_is_named(self):
        """Threads without a GIL that did not overlap on a busy machine get the caveat."""
        builds = _builds()
        builds[1].runs = {2: _synthetic_run(False)}
        assert "The machine is busy" in gil.describe_builds(builds, _report(3.0))

    def test_one_build_only(self):
        """With one build, its own numbers, and why the other could not run."""
        builds = _builds()
        builds[1].runs, builds[1].problem = {}, "timed out"
        text = gil.describe_builds(builds, _report(0.1))
        assert text.startswith("Only **CPython 3.11.7 with the GIL, this kernel** ran here: "
                               "CPU/wall 1.00 with 2 thread(s).")
        assert "took 40 ms" in text and "could not run: timed out" in text
