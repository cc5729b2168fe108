"""Tests for course.experiments: running workloads on each backend, bounded and checked."""

import os

import pytest

from course.experiments import BACKENDS, START_METHODS, run
from course.timeline import RUNNING, STARTUP, WAITING


class TestRun:
    @pytest.mark.parametrize("backend", BACKENDS)
    def test_each_backend_records_every_worker(self, backend):
        """Every backend returns one lane per worker and metrics for the run."""
        result = run("cpu", workers=2, backend=backend, size_ms=5)
        assert len(result.timeline.lanes) == 2
        assert result.metrics.lanes == 2
        assert result.metrics.wall_s > 0

    @pytest.mark.parametrize("method", START_METHODS)
    def test_processes_under_every_start_method(self, method):
        """Workers run in distinct child processes under fork, spawn and forkserver."""
        result = run("cpu", workers=2, backend="processes", start_method=method, size_ms=5)
        pids = {lane["pid"] for lane in result.timeline.lanes}
        assert len(pids) == 2 and os.getpid() not in pids
        assert result.start_method == method
        assert STARTUP in {s.kind for s in result.timeline.segments()}

    def test_threads_share_one_process(self):
        """Thread workers share the parent's pid but have distinct native thread ids."""
        result = run("cpu", workers=3, backend="threads", size_ms=5)
        assert {lane["pid"] for lane in result.timeline.lanes} == {os.getpid()}
        assert len({lane["tid"] for lane in result.timeline.lanes}) == 3

    def test_io_threads_wait_together(self):
        """Sleep-bound threads are seen waiting at the same time (from the timeline)."""
        result = run("io", workers=3, backend="threads", size_ms=50)
        assert result.timeline.max_at_once(WAITING) >= 2

    def test_pure_python_threads_never_run_together(self):
        """Under the GIL, pure-Python threads are never classified as running at once."""
        import sys
        if hasattr(sys, "_is_gil_enabled") and not sys._is_gil_enabled():
            pytest.skip("free-threaded build: threads may run in parallel")
        result = run("cpu", workers=2, backend="threads", size_ms=30)
        assert result.timeline.max_at_once(RUNNING) == 1

    def test_switch_interval_restored(self):
        """The switch interval a run sets is restored afterwards."""
        import sys
        before = sys.getswitchinterval()
        result = run("cpu", workers=1, size_ms=2, switch_interval=0.001)
        assert result.switch_interval == pytest.approx(0.001)
        assert sys.getswitchinterval() == before

    def test_speedup_over(self):
        """speedup_over compares wall times."""
        one = run("io", workers=1, backend="sequential", size_ms=50)
        assert one.speedup_over(one) == pytest.approx(1.0)


class TestErrors:
    @pytest.mark.parametrize("kwargs, error, message", [
        ({"backend": "gpu"}, ValueError,
         "backend must be one of sequential, threads, processes (got 'gpu')"),
        ({"workers": 0}, ValueError, "workers must be between 1 and 64 (got 0)"),
        ({"workers": 2.5}, TypeError, "workers must be an int (got float)"),
        ({"workload": "disk"}, ValueError,
         "workload must be one of cpu, io, hash, hash-small (got 'disk')"),
        ({"start_method": "vfork"}, ValueError, "start_method must be one of"),
        ({"switch_interval": 0}, ValueError, "switch_interval must be > 0 seconds (got 0)"),
        ({"size_ms": -1}, ValueError, "size_ms must be > 0 (got -1)"),
        ({"timeout": 0}, ValueError, "timeout must be > 0 seconds (got 0)"),
    ])
    def test_bad_arguments(self, kwargs, error, message):
        """Bad arguments fail at the door with the rule and the bad value."""
        with pytest.raises(error) as info:
            run(**kwargs)
        assert str(info.value).startswith(message)

    def test_timeout_raises_and_cleans_up(self):
        """Workers that overrun the timeout raise TimeoutError and leave no child behind."""
        import multiprocessing
        with pytest.raises(TimeoutError, match="did not finish within 0.05 s"):
            run("io", workers=2, backend="processes", size_ms=2000, timeout=0.05)
        assert multiprocessing.active_children() == []


def test_default_start_method_does_not_fix_the_default():
    """Asking for the default start method leaves set_start_method free to choose later."""
    import subprocess
    import sys
    code = ("import multiprocessing as mp; from course.experiments import default_start_method;"
            "default_start_method(); mp.set_start_method('spawn'); print(mp.get_start_method())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "spawn", out.stderr
