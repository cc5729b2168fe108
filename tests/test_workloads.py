"""Tests for course.workloads: calibration, plans and the recorded chunks."""

import pickle

import pytest

from course.timeline import WAIT, WORK
from course.workloads import WORKLOADS, calibrate, plan, run_lane, spin


class TestCalibrate:
    def test_positive_amounts(self):
        """Calibration gives a positive amount of work per chunk for every workload."""
        cal = calibrate()
        assert cal["cpu"] > 0 and cal["hash"] > 0 and cal["hash-small"] > 0


class TestPlan:
    @pytest.mark.parametrize("workload", WORKLOADS)
    def test_plans_pickle(self, workload):
        """A plan is plain data: it survives pickling, as spawn requires."""
        p = plan(workload, 10, "lane")
        assert pickle.loads(pickle.dumps(p)) == p

    @pytest.mark.parametrize("args, message", [
        (("gpu", 10, "x"), "workload must be one of cpu, io, hash, hash-small (got 'gpu')"),
        (("cpu", 0, "x"), "size_ms must be > 0 (got 0)"),
    ])
    def test_bad_input(self, args, message):
        """Unknown workloads and empty sizes fail with the rule."""
        with pytest.raises(ValueError) as info:
            plan(*args)
        assert str(info.value) == message


class TestRunLane:
    @pytest.mark.parametrize("workload", ["cpu", "hash", "hash-small"])
    def test_compute_records_work_chunks(self, workload):
        """Compute workloads record only work chunks, in time order."""
        lane = run_lane(plan(workload, 5, "x"))
        assert lane["spans"] and {k for _, _, k in lane["spans"]} == {WORK}
        starts = [s for s, _, _ in lane["spans"]]
        assert starts == sorted(starts)

    def test_io_records_waits(self):
        """The I/O workload alternates computing with waiting."""
        lane = run_lane(plan("io", 50, "x"))
        assert {k for _, _, k in lane["spans"]} == {WORK, WAIT}


def test_spin_is_deterministic():
    """spin does the same work every time."""
    assert spin(100) == spin(100)
