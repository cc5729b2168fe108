"""Tests for course.lessons.gil.builds: the same threads on this Python and on the other build."""

import sys

import pytest

from course import interpreters
from course.doctor import gil_enabled
from course.lessons.gil import builds


class TestBuildRuns:
    def test_label_and_gil(self, interpreter):
        """A build is named after its interpreter, and this kernel's says so."""
        here = builds.BuildRuns(interpreter(True), True)
        there = builds.BuildRuns(interpreter(False), False)
        assert here.label == "CPython 3.11.7 with the GIL, this kernel" and here.gil
        assert there.label == "CPython 3.13.5 free-threaded (GIL disabled)" and not there.gil


class TestCompareBuilds:
    def test_here_only(self):
        """Without a counterpart, only this kernel runs, once per thread count."""
        (build,) = builds.compare_builds(None, workers=(2, 1), size_ms=5)
        assert build.here and build.label.endswith(", this kernel") and not build.problem
        assert [r.workers for _, r in sorted(build.runs.items())] == [1, 2]

    @pytest.mark.parametrize("workers, error", [
        ((), ValueError), ("4", ValueError), (4, ValueError), ((0,), ValueError),
        ([1, -2], ValueError), ((True,), TypeError), ((1.5,), TypeError),
    ])
    def test_bad_workers(self, workers, error):
        """Thread counts must be a non-empty sequence of ints >= 1."""
        with pytest.raises(error, match="workers must be a non-empty sequence|thread counts"):
            builds.compare_builds(None, workers=workers)

    def test_bad_size(self):
        """Work per thread must be a positive number of milliseconds."""
        with pytest.raises(ValueError, match=r"size_ms must be > 0 \(got 0\)"):
            builds.compare_builds(None, size_ms=0)

    def test_a_broken_counterpart_is_reported_not_raised(self, interpreter):
        """A counterpart that cannot run keeps the reason, and the GIL build comes first."""
        broken = interpreter(not gil_enabled(), has_course=False, course_error="no course")
        found = builds.compare_builds(broken, workers=(1,), size_ms=5)
        assert [b.gil for b in found] == [True, False]
        other = next(b for b in found if not b.here)
        assert other.runs == {} and "cannot import the course" in other.problem

    def test_a_slow_counterpart_runs_out_of_time(self, interpreter):
        """The runs elsewhere share one deadline; running out of it is reported, not raised."""
        slow = interpreter(not gil_enabled(), path=sys.executable)  # starts in more than 1 ms
        found = builds.compare_builds(slow, workers=(1, 2), size_ms=5, timeout=0.001)
        other = next(b for b in found if not b.here)
        assert other.runs == {} and "did not finish within 0.00" in other.problem

    def test_on_the_counterpart(self):
        """With another build on this machine, both run the same thread counts."""
        other = interpreters.find_counterpart()
        if other is None:
            pytest.skip("no counterpart Python here: `make freethreaded` builds one")
        found = builds.compare_builds(other, workers=(2,), size_ms=10)
        assert [b.gil for b in found] == [True, False]
        assert all(sorted(b.runs) == [2] and not b.problem for b in found)
        there = next(b for b in found if not b.here)
        assert there.runs[2].timeline.label.startswith(other.label)


class TestTimeBuilds:
    def test_times_each_build_that_ran(self, interpreter):
        """Each usable build gets its fixed-loop time; a broken one is left alone."""
        here = builds.BuildRuns(interpreter(gil_enabled(), path=sys.executable,
                                            prefix=sys.prefix), True)
        broken = builds.BuildRuns(interpreter(True), False, problem="it broke")
        builds.time_builds([here, broken], iterations=1000, repeats=1)
        assert here.spin_s is not None and here.spin_s > 0
        assert broken.spin_s is None and broken.problem == "it broke"
