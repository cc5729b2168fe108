"""Tests for course.demos: the demonstrations and graded-test helpers of lesson 1."""

import os
import sys
import threading
import time

import pytest
from matplotlib.figure import Figure

from course import demos
from course.timeline import WAITING

LINUX = os.path.isdir("/proc/self/task")
needs_proc = pytest.mark.skipif(not LINUX, reason="needs /proc (Linux)")
needs_fork = pytest.mark.skipif("fork" not in demos.START_KINDS, reason="needs fork")


def _numbers():
    for n in range(1, 4):
        print(n)


def _letters():
    for letter in "abc":
        print(letter)


class TestSharedMemory:
    def test_thread_changes_the_callers_list(self):
        """A thread appending to SHARED changes the one list every thread sees."""
        demos.reset_shared("main")
        worker = threading.Thread(target=demos.append_to_shared, args=("thread",))
        worker.start()
        worker.join(5)
        assert demos.SHARED == ["main", "thread"]

    @pytest.mark.parametrize("method", [m for m in demos.START_KINDS if m != "thread"])
    def test_child_changes_only_its_copy(self, method):
        """A child's append shows in the child's view, never in the parent's list."""
        demos.reset_shared("main")
        seen = demos.in_child(demos.append_to_shared, "child", start_method=method)
        assert seen[-1] == "child"
        assert seen == (["main", "child"] if method == "fork" else ["child"])
        assert demos.SHARED == ["main"]

    def test_scenario_matches_the_lesson(self):
        """The exercise scenario gives the four lists the lesson explains."""
        if "fork" not in demos.START_KINDS:
            pytest.skip("needs fork")
        assert demos.shared_list_scenario() == {
            "a": ["main", "thread"], "b": ["main", "thread", "child"],
            "c": ["main", "thread"], "d": ["spawned"]}


class TestInChild:
    def test_returns_the_childs_answer(self):
        """The child's return value comes back, computed in another process."""
        assert demos.in_child(demos.whoami)["pid"] != os.getpid()

    def test_rejects_notebook_functions_under_spawn(self):
        """A function from __main__ cannot be imported by a spawned child: say so at once."""
        def local():
            return 1
        local.__module__ = "__main__"
        with pytest.raises(ValueError, match="fn must live in an importable module under spawn"):
            demos.in_child(local, start_method="spawn")

    def test_unknown_start_method(self):
        """An unknown start method fails with the allowed ones."""
        with pytest.raises(ValueError, match=r"start_method must be one of .* \(got 'vfork'\)"):
            demos.in_child(demos.whoami, start_method="vfork")

    def test_child_error_is_reported(self):
        """An exception in the child becomes a RuntimeError naming it."""
        with pytest.raises(RuntimeError, match="the child process raised ValueError"):
            demos.in_child(int, "not a number")

    def test_timeout_kills_the_child(self):
        """A child that takes too long raises TimeoutError and is not left running."""
        import multiprocessing

        with pytest.raises(TimeoutError, match="did not finish within 0.3 s"):
            demos.in_child(time.sleep, 10, timeout=0.3)
        assert multiprocessing.active_children() == []


class TestWhoami:
    def test_reports_the_calling_thread(self):
        """whoami names the thread and its OS id from inside that thread."""
        seen = []
        worker = threading.Thread(target=lambda: seen.append(demos.whoami()), name="probe")
        worker.start()
        worker.join(5)
        assert seen[0]["thread"] == "probe"
        assert seen[0]["pid"] == os.getpid()
        assert seen[0]["native_id"] == worker.native_id


@needs_proc
class TestOsThreads:
    def test_parked_threads_are_kernel_threads(self):
        """Each parked thread is listed by the kernel while it lives, and gone after."""
        with demos.parked_threads(3) as parked:
            ids = {t.native_id for t in parked}
            assert ids <= {row["OS thread id"] for row in demos.os_threads()}
            assert demos.os_thread_count() >= 4
        assert not any(t.is_alive() for t in parked)
        deadline = time.monotonic() + 2  # a joined thread leaves /proc a moment later
        while ids & {row["OS thread id"] for row in demos.os_threads()}:
            assert time.monotonic() < deadline, "parked threads still listed 2 s after the block"
            time.sleep(0.01)

    def test_rows_match_python_threads(self):
        """The main thread's kernel entry is matched to MainThread."""
        rows = {row["OS thread id"]: row for row in demos.os_threads()}
        assert rows[threading.main_thread().native_id]["Python thread"] == "MainThread"

    @pytest.mark.parametrize("n, error, message", [
        (-1, ValueError, r"n must be between 0 and 256 \(got -1\)"),
        (1.5, TypeError, r"n must be an int \(got float\)"),
    ])
    def test_bad_count(self, n, error, message):
        """A bad number of threads fails at the door."""
        with pytest.raises(error, match=message):
            with demos.parked_threads(n):
                pass

    def test_released_after_an_error(self):
        """An error inside the block still releases the parked threads."""
        with pytest.raises(KeyError):
            with demos.parked_threads(2) as parked:
                raise KeyError("boom")
        assert not any(t.is_alive() for t in parked)


class TestThreadTable:
    def test_shows_each_thread_and_its_line(self):
        """Every live thread appears with its stack depth and current function."""
        with demos.parked_threads(2):
            rows = {row["name"]: row for row in demos.thread_table()}
        assert rows["parked-1"]["line"].startswith("wait (threading.py:")
        assert rows["MainThread"]["line"].startswith("thread_table (demos.py:")
        assert rows["parked-2"]["frames"] >= 2


class TestMarkdownTable:
    def test_formats_rows(self):
        """Columns come from the first row; floats get 3 significant digits; pipes are escaped."""
        text = demos.markdown_table([{"a": 1.23456, "b": "x|y"}, {"a": 2, "b": None}])
        assert text.splitlines() == ["| a | b |", "|---|---|", "| 1.23 | x/y |", "| 2 | None |"]

    def test_no_rows(self):
        """An empty table is refused with the rule."""
        with pytest.raises(ValueError, match="needs at least one row"):
            demos.markdown_table([])


class TestLog:
    def test_keeps_lines_in_time_order_with_thread_names(self, capsys):
        """say() prints and keeps (ms, thread, message); at() finds a message's time."""
        log = demos.Log()
        log.say("first")
        worker = threading.Thread(target=log.say, args=("second",), name="other")
        worker.start()
        worker.join(5)
        assert log.messages() == ["first", "second"]
        assert [name for _, name, _ in log.lines] == [threading.current_thread().name, "other"]
        assert log.at("second") >= log.at("first")
        assert "other" in capsys.readouterr().out

    def test_unknown_message(self):
        """at() of a message nobody said raises KeyError."""
        with pytest.raises(KeyError, match="nobody said 'x'"):
            demos.Log(echo=False).at("x")


class TestPrintedOrders:
    def test_one_string_per_run(self):
        """Each run gives the printed words, all of them, joined by spaces."""
        orders = demos.printed_orders([(print, ("a",)), (print, ("b",))], runs=3)
        assert len(orders) == 3
        assert all(sorted(order.split()) == ["a", "b"] for order in orders)

    @pytest.mark.parametrize("jobs, runs, message", [
        ([], 1, "jobs must hold at least one"),
        ([(print, ())], 0, r"runs must be between 1 and 10000 \(got 0\)"),
    ])
    def test_bad_arguments(self, jobs, runs, message):
        """No jobs or no runs fail at the door."""
        with pytest.raises(ValueError, match=message):
            demos.printed_orders(jobs, runs)

    def test_plot_titles_the_distinct_orders(self):
        """The chart's title counts the different orders per setting."""
        fig = demos.plot_orders({"fixed": ["1 a", "1 a"], "mixed": ["1 a", "a 1"]}, first="1")
        assert isinstance(fig, Figure)
        assert fig._suptitle.get_text() == ("Printed orders: fixed: always the same order in 2 "
                                            "runs; mixed: 2 different orders in 2 runs")

    def test_plot_needs_runs(self):
        """A setting without runs is refused."""
        with pytest.raises(ValueError, match="at least one run"):
            demos.plot_orders({"empty": []})


class TestStartCost:
    def test_thread_timings(self):
        """One positive timing per repeat."""
        times = demos.start_cost("thread", repeats=5)
        assert len(times) == 5 and all(t > 0 for t in times)

    @needs_fork
    def test_fork_timings(self):
        """Processes are timed the same way."""
        assert len(demos.start_cost("fork", repeats=2)) == 2

    @pytest.mark.parametrize("kind, repeats, error, message", [
        ("fiber", None, ValueError, "kind must be one of thread"),
        ("thread", 0, ValueError, r"repeats must be between 1 and 100000 \(got 0\)"),
        ("thread", "3", TypeError, r"repeats must be an int \(got str\)"),
    ])
    def test_bad_arguments(self, kind, repeats, error, message):
        """Unknown kinds and bad repeat counts fail at the door."""
        with pytest.raises(error, match=message):
            demos.start_cost(kind, repeats)

    def test_plot_title_compares_with_a_thread(self):
        """The title gives the thread's time and the processes' factors."""
        fig = demos.plot_start_costs({"thread": [0.0001], "fork": [0.002], "spawn": [0.05]})
        title = fig.axes[0].get_title(loc="left")
        assert title.startswith("A thread started in 0.100 ms; a process took 20x longer (fork)"
                                " to 500x (spawn)")

    def test_plot_needs_timings(self):
        """A kind without timings is refused."""
        with pytest.raises(ValueError, match="at least one timing"):
            demos.plot_start_costs({"thread": []})


class TestIoJobs:
    def test_threads_wait_together(self):
        """Two threads sharing four waiting jobs wait at the same time; one lane each."""
        timeline = demos.io_jobs(jobs=4, threads=2, wait_ms=20, work_ms=0.2)
        assert len(timeline.lanes) == 2
        assert timeline.max_at_once(WAITING) == 2

    def test_one_thread_waits_alone(self):
        """On one thread the waits never overlap."""
        timeline = demos.io_jobs(jobs=3, threads=1, wait_ms=5, work_ms=0)
        assert timeline.max_at_once(WAITING) == 1

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"jobs": 0}, ValueError, r"jobs must be between 1 and 64 \(got 0\)"),
        ({"threads": 2.0}, TypeError, r"threads must be an int \(got float\)"),
        ({"wait_ms": -1}, ValueError, r"wait_ms must be >= 0 \(got -1\)"),
    ])
    def test_bad_arguments(self, kwargs, error, message):
        """Bad sizes fail at the door with the rule."""
        with pytest.raises(error, match=message):
            demos.io_jobs(**kwargs)

    def test_sweep_and_plot(self):
        """The sweep times each thread count; the chart's title names the best speedup."""
        sweep = demos.io_sweep((1, 2), jobs=2, wait_ms=10, work_ms=0)
        assert [n for n, _ in sweep] == [1, 2]
        title = demos.plot_io_sweep(sweep, jobs=2).axes[0].get_title(loc="left")
        assert title.startswith("2 waiting jobs: ")

    def test_plot_needs_one_thread(self):
        """Without a 1-thread run there is no baseline."""
        with pytest.raises(ValueError, match="must include a run on 1 thread"):
            demos.plot_io_sweep([(2, 0.1)], jobs=2)


class TestIoExplorer:
    def test_slider_reruns_and_reports_speedup(self):
        """Moving the slider reruns the jobs and reports the measured speedup."""
        chart = demos.io_explorer(jobs=4, wait_ms=10, threads=1, max_threads=4)
        text = chart.update(threads=4)
        assert text.startswith("wall ") and "on 4 thread(s)" in text and "speedup" in text
        assert isinstance(chart.figure, Figure)

    @pytest.mark.parametrize("kwargs, message", [
        ({"threads": 5, "max_threads": 4}, r"threads must be between 1 and 4 \(got 5\)"),
        ({"baseline_s": 0}, r"baseline_s must be > 0 seconds \(got 0\)"),
    ])
    def test_bad_arguments(self, kwargs, message):
        """A first position beyond the slider, or a bad baseline, is refused."""
        with pytest.raises(ValueError, match=message):
            demos.io_explorer(jobs=2, wait_ms=1, **kwargs)


class TestExitWithThread:
    @pytest.mark.parametrize("daemon, lines", [(True, 1), (False, 2)])
    def test_daemon_threads_do_not_keep_python_alive(self, daemon, lines):
        """A daemon thread's last line never prints; a normal thread is waited for."""
        result = demos.exit_with_thread(daemon, sleep_s=0.1)
        assert len(result["output"]) == lines

    def test_daemon_must_be_a_bool(self):
        """daemon must be True or False."""
        with pytest.raises(TypeError, match=r"daemon must be True or False \(got 1\)"):
            demos.exit_with_thread(1)


class TestWatchPrinting:
    def _pair(self, join=True, together=True):
        def run():
            threads = [threading.Thread(target=_numbers), threading.Thread(target=_letters)]
            if together:
                for t in threads:
                    t.start()
                for t in threads:
                    if join:
                        t.join()
            else:
                for t in threads:
                    t.start()
                    t.join()
        return run

    def test_correct_pair(self):
        """Two new threads print, the caller prints nothing, nothing is left running."""
        seen = demos.watch_printing(self._pair())
        assert seen.caller_lines == []
        assert sorted(lines for _, lines in seen.printers) == [["1", "2", "3"], ["a", "b", "c"]]
        assert seen.alive_at_return == [] and seen.together == 2 and seen.value is None

    def test_forgotten_join_is_seen(self):
        """Threads held at their first print are alive when a join-less function returns."""
        seen = demos.watch_printing(self._pair(join=False))
        assert len(seen.alive_at_return) == 2
        assert sorted(lines for _, lines in seen.printers) == [["1", "2", "3"], ["a", "b", "c"]]

    def test_one_after_the_other_is_seen(self):
        """Start-join-start-join never has two printing threads alive together."""
        assert demos.watch_printing(self._pair(together=False)).together == 1

    def test_caller_printing(self):
        """Lines printed by the calling thread are told apart."""
        seen = demos.watch_printing(_numbers)
        assert seen.caller_lines == ["1", "2", "3"] and seen.printers == []
        assert seen.lines_of(0) == []

    def test_stdout_restored(self):
        """sys.stdout is the original again afterwards."""
        original = sys.stdout
        demos.watch_printing(_numbers)
        assert sys.stdout is original

    def test_time_limit(self):
        """A function that never returns fails the bound with a deadlock message."""
        stop = threading.Event()
        try:
            with pytest.raises(AssertionError, match="did not finish within 0.2 s"):
                demos.watch_printing(lambda: stop.wait(5), timeout=0.2)
        finally:
            stop.set()


class TestFinishingInReverse:
    def test_concurrent_calls_finish_last_first(self):
        """Called all at once, the last input finishes first."""
        job, finished = demos.finishing_in_reverse([1, 2, 3]), []
        threads = [threading.Thread(target=lambda x=x: finished.append(job(x))) for x in (1, 2, 3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(5)
        assert finished == [30, 20, 10]

    def test_sequential_calls_still_return(self):
        """Called one at a time, each call waits its bound out and returns its value."""
        job = demos.finishing_in_reverse([1, 2], wait=0.05)
        assert [job(1), job(2)] == [10, 20]


class TestMeeting:
    def test_calls_together_pass(self):
        """n calls made together all meet and return then(x)."""
        job, got = demos.meeting(3, then=str, timeout=5), []
        threads = [threading.Thread(target=lambda x=x: got.append(job(x))) for x in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert sorted(got) == ["0", "1", "2"]

    def test_lonely_call_gives_up(self):
        """A call alone waits its timeout, then returns anyway."""
        assert demos.meeting(2, timeout=0.05)(4) == 40

    def test_bad_n(self):
        """n must be a positive int."""
        with pytest.raises(ValueError, match=r"n must be between 1 and 1024 \(got 0\)"):
            demos.meeting(0)


class TestJobsForExercises:
    def test_fetch_page(self):
        """fetch_page returns the page's made-up content."""
        assert demos.fetch_page("home") == "<html>home</html>"

    def test_counting_job(self):
        """CountingJob counts calls and remembers the thread and span of each."""
        job = demos.CountingJob(pause=0)
        assert [job(), job()] == [1, 2]
        assert job.calls == 2 and job.threads == [threading.current_thread()] * 2
        assert job.spans[0][1] <= job.spans[1][0]


class TestTimeQuietly:
    def test_times_without_printing(self, capsys):
        """The call's output is discarded and a positive time comes back."""
        assert demos.time_quietly(print, "hidden", repeats=2) > 0
        assert capsys.readouterr().out == ""

    def test_bad_repeats(self):
        """repeats must be a positive int."""
        with pytest.raises(ValueError, match=r"repeats must be between 1 and 10000 \(got 0\)"):
            demos.time_quietly(print, repeats=0)
