"""Tests for course.mp: start methods, captured worker failures, costs, pool timelines, CallLog
and the bounded runner that leaves no process behind."""

import multiprocessing
import operator
import os
import pickle
import subprocess
import sys
import threading
import time

import pytest
from matplotlib.figure import Figure

from course import testing, mp

FORK = "fork" in mp.START_METHODS
needs_fork = pytest.mark.skipif(not FORK, reason="fork is not available on this platform")
FAST = "fork" if FORK else "spawn"  # the cheapest method for tests that do not care
BOUND_S = 30  # every test that waits on processes waits at most this long


def _add_locked(counter, times):
    """Worker for shared_count tests: add under the Value's own lock (importable by spawn)."""
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1


def _start_sleeper(ctx):
    """Start a process that sleeps, and forget to join it (for the leftover check)."""
    ctx.Process(target=time.sleep, args=(20,), daemon=True).start()
    return "started"


@pytest.fixture
def main_only_function():
    """A function that exists only in __main__, like one defined in a notebook cell."""
    main = sys.modules["__main__"]

    def square_here(x):
        return x * x
    square_here.__module__, square_here.__qualname__ = "__main__", "square_here"
    main.square_here = square_here
    try:
        yield square_here
    finally:
        del main.square_here


@pytest.fixture(autouse=True)
def no_leftover_processes():
    """Every test must leave no child process running."""
    yield
    deadline = time.monotonic() + 5
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    leftovers = multiprocessing.active_children()
    for process in leftovers:
        process.kill()
    assert not leftovers, f"the test left processes running: {leftovers}"


class TestStartMethodEnv:
    @pytest.mark.parametrize("value", [None, "", "  "])
    def test_unset_or_empty(self, monkeypatch, value):
        """An unset or blank COURSE_START_METHOD asks for nothing."""
        if value is None:
            monkeypatch.delenv(mp.START_METHOD_ENV, raising=False)
        else:
            monkeypatch.setenv(mp.START_METHOD_ENV, value)
        assert mp.start_method_from_env() is None

    def test_named_method(self, monkeypatch):
        """A valid method name is returned as it is."""
        monkeypatch.setenv(mp.START_METHOD_ENV, "spawn")
        assert mp.start_method_from_env() == "spawn"

    def test_unknown_method(self, monkeypatch):
        """An unknown method is refused with the rule and the value."""
        monkeypatch.setenv(mp.START_METHOD_ENV, "clone")
        with pytest.raises(ValueError) as caught:
            mp.start_method_from_env()
        assert str(caught.value) == (f"COURSE_START_METHOD must be one of "
                                     f"{', '.join(mp.START_METHODS)} (got 'clone')")

    def test_import_applies_it(self):
        """Importing course.mp in a fresh interpreter makes the variable's method the default."""
        code = ("from course import mp, doctor; import multiprocessing; "
                "print(multiprocessing.get_start_method(), doctor.report().start_method)")
        env = dict(os.environ, **{mp.START_METHOD_ENV: "spawn"})
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env, timeout=BOUND_S, check=False)
        assert done.stdout.split() == ["spawn", "spawn"], done.stderr


class TestContext:
    def test_default(self):
        """Without a method, the process's default context is returned."""
        assert mp.context().get_start_method() == multiprocessing.get_context().get_start_method()

    def test_named(self):
        """A named method gives that method's context."""
        assert mp.context("spawn").get_start_method() == "spawn"

    def test_unknown(self):
        """An unknown method raises ValueError naming the choices."""
        with pytest.raises(ValueError, match=r"method must be one of .* \(got 'clone'\)"):
            mp.context("clone")


class TestSetupNote:
    def test_names_method_and_cores(self):
        """The note names the start method and the number of cores."""
        text = mp.setup_note("spawn", 4)
        assert "spawn" in text and "**4**" in text

    def test_one_core(self):
        """With one core, the note says processes take turns."""
        assert "take turns" in mp.setup_note("spawn", 1)

    def test_bad_cores(self):
        """cores below 1 is refused."""
        with pytest.raises(ValueError, match=r"cores must be >= 1 \(got 0\)"):
            mp.setup_note("spawn", 0)


class TestRunTarget:
    def test_clean_exit(self):
        """An importable target that returns ends with exit code 0 and no error."""
        outcome = mp.run_target(operator.add, (1, 2), method=FAST)
        assert (outcome.exitcode, outcome.error) == (0, "")
        assert f"{FAST} process {outcome.pid}: exit code 0" in str(outcome)

    @pytest.mark.parametrize("method", ["spawn", FAST])
    def test_exception_is_captured(self, method):
        """A target that raises exits with code 1, and its last traceback line is kept."""
        outcome = mp.run_target(operator.truediv, (1, 0), method=method)
        assert outcome.exitcode == 1
        assert outcome.error == "ZeroDivisionError: division by zero"

    def test_main_only_function_under_spawn(self, main_only_function):
        """A function only __main__ knows cannot be found by a spawn child: exit code 1."""
        outcome = mp.run_target(main_only_function, (3,), method="spawn")
        assert outcome.exitcode == 1
        assert "Can't get attribute 'square_here'" in outcome.error

    @needs_fork
    def test_main_only_function_under_fork(self, main_only_function):
        """A fork child is a copy of the parent, so the same function runs."""
        assert mp.run_target(main_only_function, (3,), method="fork").exitcode == 0

    def test_still_running_is_killed(self):
        """A target still running at the timeout is killed (negative exit code)."""
        outcome = mp.run_target(time.sleep, (30,), method=FAST, timeout=0.3)
        assert outcome.exitcode is not None and outcome.exitcode < 0

    def test_stderr_is_restored(self):
        """After the call, sys.stderr is the stream it was before."""
        before = sys.stderr
        mp.run_target(operator.add, (1, 2), method=FAST)
        assert sys.stderr is before

    def test_bad_timeout(self):
        """A timeout that is not > 0 is refused."""
        with pytest.raises(ValueError, match=r"timeout must be > 0 \(got 0\)"):
            mp.run_target(operator.add, (1, 2), timeout=0)


class TestProbePool:
    def test_importable_function_finishes(self):
        """A pool of an importable function finishes and returns the results."""
        probe = mp.probe_pool(abs, [-1, -2], method=FAST, seconds=BOUND_S)
        assert probe.finished and probe.results == [1, 2]
        assert "map finished" in str(probe)

    def test_main_only_function_respawns(self, main_only_function):
        """Under spawn the workers die, the pool replaces them, and the map never finishes."""
        probe = mp.probe_pool(main_only_function, range(3), method="spawn", seconds=1.5)
        assert not probe.finished and probe.results is None
        assert probe.workers_started >= 2
        assert any("Can't get attribute 'square_here'" in error for error in probe.errors)

    def test_bad_workers(self):
        """workers below 1 is refused."""
        with pytest.raises(ValueError, match=r"workers must be >= 1 \(got 0\)"):
            mp.probe_pool(abs, [1], workers=0)


class TestRunScript:
    def test_guarded_script(self):
        """With the __main__ guard, the spawn child runs and exits 0."""
        run = mp.run_script(mp.GUARDED_SCRIPT)
        assert run.returncode == 0
        assert run.summary().splitlines()[-1] == "child exit code: 0"
        assert "'__mp_main__'" in run.summary()

    def test_unguarded_script(self):
        """Without the guard, the child refuses to start a child while it starts: exit code 1."""
        run = mp.run_script(mp.UNGUARDED_SCRIPT)
        assert "child exit code: 1" in run.summary()
        assert run.error == ("RuntimeError: An attempt has been made to start a new process "
                             "before the current process has finished its bootstrapping phase.")

    def test_timeout(self):
        """A script that runs too long is stopped and says so."""
        run = mp.run_script("import time\ntime.sleep(10)\n", timeout=0.5)
        assert run.returncode is None and "did not finish within 0.5 s" in run.output


class TestStartupCosts:
    def test_thread_and_methods(self):
        """A thread and each requested method get a positive median time."""
        costs = mp.startup_costs(methods=[FAST], repeats=1)
        assert list(costs) == ["thread", FAST] and all(v > 0 for v in costs.values())

    def test_unknown_method(self):
        """An unknown method is refused before anything starts."""
        with pytest.raises(ValueError, match="got 'clone'"):
            mp.startup_costs(methods=["clone"])

    def test_plot_states_finding(self):
        """The chart's title names the slowest method and compares it with the fastest."""
        fig = mp.plot_startup({"thread": 0.0001, "fork": 0.01, "spawn": 0.1})
        title = fig.axes[0].get_title(loc="left")
        assert title == ("a spawn process takes 100 ms to start and end, 10x fork's 10.0 ms; "
                         "a thread: 0.10 ms")

    def test_plot_empty(self):
        """No costs, no chart."""
        with pytest.raises(ValueError, match="costs must not be empty"):
            mp.plot_startup({})


class TestTransferCosts:
    def test_rows(self):
        """Each size gets a row with positive pickling and round-trip times."""
        rows = mp.transfer_costs(sizes_mb=(0.25, 1), method=FAST, repeats=1)
        assert [r.megabytes for r in rows] == [0.25, 1.0]
        assert all(r.pickle_s > 0 and r.round_trip_s > 0 for r in rows)

    def test_plot_title(self):
        """The title gives the largest transfer and its cost per MB."""
        fig = mp.plot_transfers([mp.Transfer(1.0, 0.001, 0.002), mp.Transfer(4.0, 0.004, 0.008)])
        assert fig.axes[0].get_title(loc="left").startswith(
            "sending 4 MB to a worker took 8.0 ms (about 2.0 ms per MB")

    @pytest.mark.parametrize("sizes", [(0,), (-1,)])
    def test_bad_size(self, sizes):
        """Sizes must be > 0."""
        with pytest.raises(ValueError, match="sizes_mb must be > 0"):
            mp.transfer_costs(sizes_mb=sizes)


class TestChunksizeCosts:
    def test_per_task_times(self):
        """Each chunksize gets a positive time per task."""
        costs = mp.chunksize_costs(abs, tasks=200, sizes=(1, 50), method=FAST)
        assert list(costs) == [1, 50] and all(v > 0 for v in costs.values())

    def test_plot_title(self):
        """The title compares chunksize 1 with the best chunksize."""
        fig = mp.plot_chunksize({1: 20e-6, 100: 0.5e-6})
        assert fig.axes[0].get_title(loc="left") == (
            "chunksize 1: 20.0 µs per task; chunksize 100: 0.50 µs, 40x less")

    def test_bad_chunksize(self):
        """A chunksize below 1 is refused."""
        with pytest.raises(ValueError, match=r"chunksize must be >= 1 \(got 0\)"):
            mp.chunksize_costs(abs, sizes=(0,))


class TestUpdateCosts:
    def test_keys_and_plot(self):
        """The three kinds of update and the manager's start are timed; the chart is log scale."""
        costs = mp.update_costs(updates=50, method=FAST)
        assert set(costs) == {"local dict", "Value + lock", "Manager dict", "Manager start"}
        fig = mp.plot_update_costs(costs)
        assert fig.axes[0].get_yscale() == "log"
        assert fig.axes[0].get_title(loc="left").startswith("one Manager dict update")

    def test_bad_updates(self):
        """updates below 1 is refused."""
        with pytest.raises(ValueError, match=r"updates must be >= 1 \(got 0\)"):
            mp.update_costs(updates=0)


class TestPipeRoundTrip:
    def test_echo(self):
        """Round trips through a Pipe answered by an echo are timed per message."""
        here, there = multiprocessing.Pipe()

        def echo():
            while (message := there.recv()) is not None:
                there.send(message)
        thread = threading.Thread(target=echo, daemon=True)
        thread.start()
        try:
            assert mp.pipe_round_trip(here, messages=50) > 0
        finally:
            here.send(None)
            thread.join(BOUND_S)

    def test_no_answer(self):
        """Nobody answering raises TimeoutError after the timeout."""
        here, _there = multiprocessing.Pipe()
        with pytest.raises(TimeoutError, match="no answer within 0.1 s to message 0"):
            mp.pipe_round_trip(here, messages=1, timeout=0.1)


class TestSharedCount:
    def test_locked_updates_all_count(self):
        """Updates made under the Value's lock are all counted."""
        run = mp.shared_count(_add_locked, workers=2, times=50, method=FAST)
        assert (run.expected, run.got, run.lost) == (100, 100, 0)
        assert str(run).startswith("2 processes x 50 updates: counter 100 of 100 (nothing lost)")

    def test_timeout_kills(self):
        """Workers still running at the timeout are killed and TimeoutError is raised."""
        with pytest.raises(TimeoutError, match="did not finish within 0.2 s"):
            mp.shared_count(_sleep_worker, workers=1, times=1, method=FAST, timeout=0.2)

    def test_bad_workers(self):
        """workers below 1 is refused."""
        with pytest.raises(ValueError, match=r"workers must be >= 1 \(got 0\)"):
            mp.shared_count(_add_locked, workers=0)


def _sleep_worker(counter, times):
    time.sleep(30)


class TestPoolRun:
    def test_lanes_per_worker_process(self):
        """Tasks that ran in one worker process share that worker's lane."""
        run = mp.pool_run(workers=2, tasks=4, task_ms=5, method=FAST)
        lanes = run.timeline.lanes
        assert 1 <= len(lanes) <= 2
        assert all(lane["name"].startswith("worker ") for lane in lanes)
        assert os.getpid() not in {lane["pid"] for lane in lanes}
        assert run.busy_s > 0 and run.wall_s > 0

    def test_amdahl_prediction(self):
        """One worker predicts no speedup; more never exceed the cores."""
        base = mp.pool_run(workers=1, tasks=2, task_ms=5, method=FAST)
        assert mp.amdahl_prediction(base, 1) == pytest.approx(1.0)
        assert 1.0 <= mp.amdahl_prediction(base, 8, cores=2) <= 2.0

    def test_plot_with_baseline(self):
        """The chart's title states the measured and the predicted speedup."""
        base = mp.pool_run(workers=1, tasks=2, task_ms=5, method=FAST)
        run = mp.pool_run(workers=2, tasks=2, task_ms=5, method=FAST)
        fig = mp.plot_pool_run(run, base, {1: 1.0})
        assert isinstance(fig, Figure) and "Amdahl predicts" in fig._suptitle.get_text()

    @pytest.mark.parametrize("kwargs, message", [
        ({"workers": 0}, r"workers must be >= 1 \(got 0\)"),
        ({"chunksize": 0}, r"chunksize must be >= 1 \(got 0\)"),
        ({"task_ms": 0}, r"task_ms must be > 0 \(got 0\)"),
    ])
    def test_bad_arguments(self, kwargs, message):
        """Bad sizes are refused before a pool starts."""
        with pytest.raises(ValueError, match=message):
            mp.pool_run(**kwargs)


class TestExplorePool:
    def test_update_reruns(self):
        """Moving the sliders reruns the pool and reports the speedup against Amdahl."""
        widget = mp.explore_pool(max_workers=2, tasks=4, task_ms=5, method=FAST)
        text = widget.update(workers=2, chunksize=2)
        assert "2 worker(s), chunksize 2" in text and "Amdahl" in text
        assert isinstance(widget.figure, Figure)


class TestCallLog:
    def test_records_calls_in_workers(self):
        """Calls made in pool workers are recorded with their pid and arguments."""
        with mp.CallLog() as log, mp.context(FAST).Pool(2) as pool:
            assert pool.starmap(log.wrap(operator.add), [(1, 2), (3, 4)]) == [3, 7]
            calls = log.calls()
        assert sorted(call.args for call in calls) == [[1, 2], [3, 4]]
        assert os.getpid() not in {call.pid for call in calls}

    def test_first_waits_for_others(self):
        """With first_waits_for=2, the first call to start (on -1 or -2, whichever worker gets
        there first) returns after two other calls, so the results leave input order."""
        with mp.CallLog() as log, mp.context(FAST).Pool(2) as pool:
            probe = log.wrap(abs, first_waits_for=2)
            got = list(pool.imap_unordered(probe, [-1, -2, -3, -4]))
            pids = log.pids()
        assert not {1, 2} <= set(got[:2]) and sorted(got) == [1, 2, 3, 4]
        assert len(pids) == 2

    def test_hold_is_bounded(self):
        """With no other process, the first call waits hold_s and then runs anyway."""
        with mp.CallLog() as log:
            probe = log.wrap(abs, first_waits_for=1, hold_s=0.2)
            assert testing.finishes_within(probe, BOUND_S, -5) == 5
            assert log.pids() == [os.getpid()]

    def test_timeline_has_a_lane_per_process(self):
        """The timeline has one lane per process that made calls."""
        with mp.CallLog() as log:
            log.wrap(abs)(-1)
            timeline = log.timeline()
        assert [lane["name"] for lane in timeline.lanes] == ["this process"]

    def test_logged_pickles(self):
        """A Logged function survives pickling (as it must to reach spawn workers)."""
        with mp.CallLog() as log:
            again = pickle.loads(pickle.dumps(log.wrap(abs)))
            assert again(-3) == 3 and len(log.calls()) == 1

    def test_close_removes_directory(self):
        """Closing the log removes its directory."""
        log = mp.CallLog()
        log.close()
        assert not os.path.exists(log.directory)

    def test_bad_arguments(self):
        """Non-callables and negative waits are refused."""
        with mp.CallLog() as log:
            with pytest.raises(TypeError, match="fn must be callable"):
                log.wrap(42)
            with pytest.raises(ValueError, match=r"first_waits_for must be >= 0 \(got -1\)"):
                log.wrap(abs, first_waits_for=-1)


class TestResourceTrackerWarning:
    """The tracker's reentrancy warning would fail a graded cell by printing to stderr."""

    # Run in a fresh interpreter: pytest resets warning filters set while it collects.
    SCRIPT = (
        "import warnings\n"
        "from multiprocessing import resource_tracker\n"
        "import course.mp\n"
        "for text in ('ResourceTracker called reentrantly for resource cleanup, which is "
        "unsupported. The semaphore object x might leak.', 'resource_tracker: process died "
        "unexpectedly, relaunching.'):\n"
        "    warnings.warn_explicit(text, UserWarning, resource_tracker.__file__, 1,\n"
        "                           module='multiprocessing.resource_tracker', registry={})\n")

    def test_only_the_reentrant_call_warning_is_hidden(self):
        """After importing course.mp, "called reentrantly" is silent; other warnings show."""
        done = subprocess.run([sys.executable, "-c", self.SCRIPT], capture_output=True,
                              text=True, timeout=BOUND_S)
        assert done.returncode == 0, done.stderr
        assert "called reentrantly" not in done.stderr
        assert "process died unexpectedly" in done.stderr


class TestBounded:
    def test_returns_value(self):
        """A call that finishes returns its value."""
        assert mp.bounded(operator.add, BOUND_S, 2, 3) == 5

    def test_reraises(self):
        """A call that raises re-raises its own exception."""
        with pytest.raises(ZeroDivisionError):
            mp.bounded(operator.truediv, BOUND_S, 1, 0)

    def test_leftover_process_fails_and_is_ended(self):
        """Returning while a started process runs fails, and the process is ended."""
        with pytest.raises(AssertionError, match=r"returned while 1 process\(es\) it started"):
            mp.bounded(_start_sleeper, BOUND_S, mp.context(FAST))
        assert not multiprocessing.active_children()

    def test_hanging_pool_is_terminated(self, main_only_function):
        """A pool map that never finishes fails within the bound; the pool is terminated."""
        def hang():
            with mp.context("spawn").Pool(2) as pool:
                return pool.map(main_only_function, range(3))
        with pytest.raises(AssertionError, match="did not finish within 1 s"):
            mp.bounded(hang, 1)
        assert not [p for p in mp._live_pools()
                    if getattr(p, "_state", None) == multiprocessing.pool.RUN]
