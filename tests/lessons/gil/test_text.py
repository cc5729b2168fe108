"""Tests for course.lessons.gil.text: prose computed from the numbers, adapting to the build,
the cores and the load."""

import pytest

from course.lessons.gil import SweepRow, measure, text
from course.timeline import Timeline


class TestBusyCaveat:
    def test_quiet_machine_says_nothing(self, report):
        """No caveat when the load leaves the cores free."""
        assert text.busy_caveat(report(0.1)) == ""

    def test_busy_machine_gives_numbers(self, report):
        """A busy machine is named, with its load and cores."""
        said = text.busy_caveat(report(3.0))
        assert "busy" in said and "3.00" in said and "2 usable cores" in said


class TestBuildText:
    def test_standard_build(self, report):
        """A build with the GIL: turns, and the switch interval in force."""
        said = text.build_text(report(interval=0.002))
        assert "CPython 3.11.7, a standard build: it has a GIL" in said and "**2 ms**" in said

    def test_gil_switched_back_on(self, report):
        """A free-threaded build running with the GIL says how that happens."""
        said = text.build_text(report(gil=True, free_threaded=True, version="3.13.5"))
        assert "free-threaded build with the GIL switched back on" in said
        assert "PYTHON_GIL=1" in said

    @pytest.mark.parametrize("version, status", [
        ("3.13.5", "*experimental* in 3.13"), ("3.14.0", "*supported* from 3.14 on")])
    def test_free_threaded(self, report, version, status):
        """Without a GIL, the status of free threading in that version is named."""
        said = text.build_text(report(gil=False, version=version))
        assert "a free-threaded build, without a GIL" in said and status in said


class TestTimedByHand:
    def test_threads_take_turns_with_the_gil(self, report):
        """CPU/wall and the speedup over one after another, and why no speedup."""
        said = text.threads_text(one_wall=0.1, wall=0.2, cpu=0.2, workers=2, report=report())
        assert "kept **1.00** cores busy (CPU/wall)" in said and "**1.00x**" in said
        assert "concurrent, not parallel" in said and "machine is busy" not in said

    def test_threads_faster_than_the_gil_allows(self, report):
        """A speedup the GIL cannot give is blamed on a disturbed baseline."""
        said = text.threads_text(one_wall=0.2, wall=0.2, cpu=0.2, workers=2, report=report())
        assert "more than the GIL allows" in said

    def test_threads_without_the_gil(self, report):
        """Without a GIL, the threads are called parallel."""
        said = text.threads_text(0.1, 0.1, 0.2, 2, report(gil=False, version="3.13.5"))
        assert "concurrent *and* parallel" in said and "**2.00x**" in said

    def test_processes(self, report):
        """Processes get their own GIL; a short speedup names start-up and load."""
        fast = text.processes_text(0.1, 0.1, 0.2, 2, report())
        assert "**2.00x**" in fast and "at most 2x here" in fast and "Well short" not in fast
        slow = text.processes_text(0.1, 0.19, 0.2, 2, report(3.0))
        assert "Well short of that" in slow and "busy" in slow


def _processes(share: float, lanes: int = 4):
    """A timeline of processes (distinct pids) running together for *share* of 1 s."""
    rows = [(f"p{i}", 0, 1 if i == 0 else share) for i in range(lanes)]
    timeline = Timeline.from_segments(rows)
    for i, lane in enumerate(timeline.lanes):
        lane["pid"] = 1000 + i
    return timeline


class TestExplainProcesses:
    def test_busy_machine_is_named(self, report):
        """Little overlap on a loaded machine is blamed on the load, with the numbers."""
        said = text.explain_processes(_processes(0.05), report(3.5))
        assert "the machine is busy" in said and "3.50" in said

    def test_quiet_machine(self, report):
        """Lots of overlap on a quiet machine just reports the numbers."""
        said = text.explain_processes(_processes(0.9), report(0.1))
        assert "busy" not in said and "90%" in said

    def test_one_core(self, report):
        """On one core processes can only take turns, whatever the load."""
        said = text.explain_processes(_processes(0.0), report(0.1, cores=1))
        assert "only take turns" in said


def _turns():
    rows = [(lane, i * 0.005, (i + 1) * 0.005) for i, lane in enumerate("abababab")]
    return Timeline.from_segments(rows)


class TestTurnsAndSweep:
    def test_turns_with_the_gil(self, report):
        """Hand-offs and the median turn against the interval, with the numbers."""
        said = text.turns_text(_turns(), report(interval=0.005))
        assert "handed the GIL over **7** times" in said and "**5.00 ms**" in said
        assert "about one switch interval" in said

    def test_turns_without_the_gil(self, report):
        """Without a GIL, the threads are not described as taking turns."""
        said = text.turns_text(_turns(), report(gil=False, version="3.13.5"))
        assert said.startswith("Without a GIL the 2 threads did not have to take turns")

    def test_sweep_following_the_interval(self, report):
        """Turns close to the interval in every run: the interval sets the turns."""
        rows = [SweepRow(x, x * 1.02, 5, None) for x in (1.0, 5.0, 20.0)]
        said = text.sweep_text(rows, report())
        assert "**3 of 3**" in said and "the switch interval sets the turns" in said

    def test_sweep_straying(self, report):
        """Turns far from the interval are reported as such, with the load."""
        rows = [SweepRow(x, 7.0, 5, None) for x in (0.5, 1.0, 20.0)]
        said = text.sweep_text(rows, report(3.0))
        assert "**0 of 3**" in said and "something other than the GIL" in said
        assert "busy" in said

    def test_sweep_without_the_gil(self, report):
        """Without a GIL the sweep text says turns need not follow the interval."""
        rows = [SweepRow(x, x, 5, None) for x in (1.0, 5.0)]
        said = text.sweep_text(rows, report(gil=False, version="3.13.5"))
        assert "without a GIL nothing hands turns over" in said


class TestRepeats:
    def test_medians_and_ranges(self, report, synthetic_run):
        """Each backend's median CPU/wall and its range."""
        runs = {"threads": [synthetic_run(False)] * 3, "processes": [synthetic_run(True)] * 3}
        said = text.repeats_text(runs, report())
        assert "threads a median of **1.00** (from 1.00 to 1.00)" in said
        assert "processes a median of **2.00**" in said


class TestIoAndHashing:
    def test_io(self):
        """Overlapping waits, the speedup, and computing that did not overlap."""
        timeline = Timeline.from_segments([("a", 0, 1, "waiting"), ("b", 0, 1, "waiting"),
                                           ("a", 1, 1.1), ("b", 1.1, 1.2)])
        said = text.io_text(timeline, sequential_s=2.2, wall_s=1.2)
        assert "waiting at once **83%**" in said and "**1.83x** faster" in said
        assert "overlapped only 0%" in said

    def test_hashing_split(self, report):
        """Big pieces overlapping and small ones not: the size of the pieces decided."""
        runs = {"64 KiB": Timeline.from_segments([("a", 0, 1), ("b", 0, 1)]),
                "1 KiB": Timeline.from_segments([("a", 0, 1), ("b", 1, 2)])}
        said = text.hashing_text(runs, report())
        assert "64 KiB **100%**, 1 KiB **0%**" in said and "size of the pieces" in said

    def test_hashing_on_a_busy_machine(self, report):
        """A big-piece run that did not overlap gets the busy caveat."""
        runs = {"64 KiB": Timeline.from_segments([("a", 0, 1), ("b", 1, 2)]),
                "1 KiB": Timeline.from_segments([("a", 0, 1), ("b", 1, 2)])}
        said = text.hashing_text(runs, report(3.0))
        assert "did not split that way" in said and "busy" in said


class TestAmdahl:
    def test_table_and_overhead(self):
        """A row per run, measured beside predicted, and the gap named overhead."""
        speedups = {"CPU processes": measure.Speedup(1.0, 4, 4.0, 2.5)}
        said = text.amdahl_text(speedups, cores=2)
        assert "| CPU processes | 1.00 | 4 | 1.60x | 2.00x |" in said and "overhead" in said

    def test_faster_than_predicted(self):
        """A speedup well above its prediction is blamed on a disturbed baseline."""
        speedups = {"CPU threads": measure.Speedup(0.0, 2, 1.4, 1.0)}
        assert "beat the prediction" in text.amdahl_text(speedups, cores=2)

    def test_slowdown(self):
        """A slowdown is named: no parallel fraction explains it."""
        speedups = {"CPU threads": measure.Speedup(0.0, 2, 1.0, 1.25)}
        said = text.amdahl_text(speedups, cores=2)
        assert "CPU threads ran *slower*" in said


class TestCounterpart:
    def test_found(self, interpreter):
        """A counterpart is named with its build, path and where it was found."""
        other = interpreter(False, path="/opt/py/bin/python3.13t")
        said = text.counterpart_text(other)
        assert "**CPython 3.13.5 free-threaded (GIL disabled)**" in said
        assert "`/opt/py/bin/python3.13t`" in said and "a test" in said

    def test_none_from_a_gil_kernel_says_how_to_get_one(self, monkeypatch, interpreter):
        """Without a free-threaded Python, every way to get one is listed."""
        from course import interpreters
        monkeypatch.setattr(interpreters, "current_interpreter", lambda: interpreter(True))
        monkeypatch.setattr(interpreters, "find_counterpart", lambda **kw: None)
        said = text.counterpart_text(None)
        for needed in ("`make freethreaded`", "python.org", "`python-freethreading`",
                       "`uv python install 3.13t`", interpreters.ENV_FREETHREADED,
                       "this kernel alone"):
            assert needed in said, f"{needed!r} missing from: {said}"

    def test_none_from_a_free_threaded_kernel(self, monkeypatch, interpreter):
        """From a free-threaded kernel, the missing build is one with the GIL."""
        from course import interpreters
        monkeypatch.setattr(interpreters, "current_interpreter", lambda: interpreter(False))
        monkeypatch.setattr(interpreters, "find_counterpart", lambda **kw: None)
        said = text.counterpart_text(None)
        assert "no Python with the GIL was found" in said and interpreters.ENV_GIL in said

    def test_found_without_the_course(self, monkeypatch, interpreter):
        """A counterpart that cannot import the course is named, with the fix."""
        from course import interpreters
        broken = interpreter(False, has_course=False, course_error="ModuleNotFoundError: x")
        monkeypatch.setattr(interpreters, "current_interpreter", lambda: interpreter(True))
        monkeypatch.setattr(interpreters, "find_counterpart",
                            lambda require_course=True: None if require_course else broken)
        said = text.counterpart_text(None)
        assert "cannot import the course (ModuleNotFoundError: x)" in said
        assert interpreters.INSTALL_HINT in said


class TestBuilds:
    def test_table_has_a_row_per_run_and_problem(self, builds):
        """Every run is a row with its numbers; a build that failed says why."""
        found = builds()
        found[1].problem, found[1].runs = "timed out", {}
        lines = text.builds_table(found).splitlines()
        assert lines[0].startswith("| build | threads | wall | CPU/wall |")
        assert lines[2].startswith("| CPython 3.11.7 with the GIL, this kernel | 2 | 400 ms |")
        assert lines[3] == ("| CPython 3.13.5 free-threaded (GIL disabled) | - | could not "
                            "run: timed out | | |")

    def test_both_builds_with_their_cost(self, builds, report):
        """CPU/wall of both, the single-thread cost, and the same-work comparison."""
        said = text.builds_text(builds(spin=(0.040, 0.050)), report())
        assert "CPU/wall was **1.00** with the GIL" in said and "**2.00** free-threaded" in said
        assert "a single-thread cost of **25%** (1.25x the time)" in said
        # 0.25 s x 1.25 = 312 ms for the same work, against 400 ms: 1.28x faster
        assert "about 312 ms against 400 ms: **1.28x faster**" in said

    def test_cost_that_eats_the_gain(self, builds, report):
        """When the cost outweighs the parallelism, the text says slower."""
        assert "**1.25x slower**" in text.builds_text(builds(spin=(0.040, 0.080)), report())

    def test_no_cost_measured(self, builds, report):
        """A free-threaded loop as fast as the GIL one reports no cost."""
        said = text.builds_text(builds(spin=(0.050, 0.045)), report())
        assert "**no single-thread cost** here (0.90x the time)" in said

    def test_cost_not_timed(self, builds, report):
        """Without both loop times, no cost is claimed."""
        said = text.builds_text(builds(spin=(0.050, None)), report())
        assert "could not be timed on both builds, so it is not shown" in said
        assert "cost of" not in said

    def test_one_build_only_says_what_was_not_compared(self, builds, report):
        """With one build, its own numbers, and no claim about the other."""
        found = builds()
        found[1].runs, found[1].problem = {}, "timed out"
        said = text.builds_text(found, report())
        assert said.startswith("Only **CPython 3.11.7 with the GIL, this kernel** ran here: "
                               "CPU/wall 1.00 with 2 thread(s).")
        assert "nothing to compare" in said and "could not run: timed out" in said
        assert "single-thread cost of **" not in said


class TestChoice:
    def test_rule(self, report):
        """Processes for computing under the GIL, threads for waiting and big C pieces."""
        said = text.choice_text(measure.Speedup(0, 2, 0.2, 0.2), measure.Speedup(1, 2, 0.2, 0.1),
                                measure.Speedup(0.9, 4, 0.8, 0.25, needs_cores=False),
                                {"64 KiB": Timeline.from_segments([("a", 0, 1), ("b", 0, 1)]),
                                 "1 KiB": Timeline.from_segments([("a", 0, 1), ("b", 1, 2)])},
                                report())
        rows = said.splitlines()
        assert rows[2] == "| pure-Python computing | 1.00x | 2.00x | **processes** |"
        assert rows[3] == "| waiting (sleep, I/O) | 3.20x | not measured | **threads** |"
        assert rows[4].endswith("| **threads** |")
        assert rows[5].endswith("| **bigger pieces, or processes** |")

    def test_busy_machine(self, report):
        """On a busy machine, the computing row makes no choice."""
        said = text.choice_text(measure.Speedup(0, 2, 0.2, 0.2), measure.Speedup(1, 2, 0.2, 0.1),
                                measure.Speedup(0.9, 4, 0.8, 0.25), {}, report(3.0))
        assert ("| pure-Python computing | 1.00x | 2.00x | **unclear: the machine was busy** |"
                in said)
        assert "The machine is busy" in said

    def test_neither(self, report):
        """Nothing 20% faster than one after another: neither."""
        said = text.choice_text(measure.Speedup(0, 2, 0.2, 0.2), measure.Speedup(1, 2, 0.2, 0.19),
                                measure.Speedup(0.1, 4, 0.2, 0.19), {}, report())
        assert "| pure-Python computing | 1.00x | 1.05x | **neither** |" in said
