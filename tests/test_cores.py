"""Tests for course.cores: the cores a process may use, quota and CPU set included."""

import pytest

from course import cores


@pytest.fixture
def own_root(monkeypatch):
    """Pretend this process sits at the root of every cgroup hierarchy."""
    monkeypatch.setattr(cores, "_own_groups", lambda: {})


class TestCpuQuota:
    @pytest.mark.parametrize("text, quota", [
        ("200000 100000\n", 2.0), ("250000 100000", 2.5), ("max 100000", None),
    ])
    def test_cgroup_v2(self, tmp_path, own_root, text, quota):
        """cpu.max gives quota / period cores, or no limit for "max"."""
        (tmp_path / "cpu.max").write_text(text)
        assert cores.cpu_quota(tmp_path) == quota

    def test_cgroup_v1(self, tmp_path, own_root):
        """cgroup v1's cfs quota and period give the same answer; -1 means no limit."""
        folder = tmp_path / "cpu,cpuacct"
        folder.mkdir()
        (folder / "cpu.cfs_period_us").write_text("100000\n")
        (folder / "cpu.cfs_quota_us").write_text("150000\n")
        assert cores.cpu_quota(tmp_path) == 1.5
        (folder / "cpu.cfs_quota_us").write_text("-1\n")
        assert cores.cpu_quota(tmp_path) is None

    def test_nested_cgroup_inherits_the_parents_quota(self, tmp_path, monkeypatch):
        """A process deep in the hierarchy is limited by a quota set on a parent."""
        (tmp_path / "kubepods" / "pod1" / "box").mkdir(parents=True)
        (tmp_path / "kubepods" / "cpu.max").write_text("400000 100000")
        (tmp_path / "kubepods" / "pod1" / "box" / "cpu.max").write_text("max 100000")
        monkeypatch.setattr(cores, "_own_groups", lambda: {"": "kubepods/pod1/box"})
        assert cores.cpu_quota(tmp_path) == 4.0

    def test_no_cgroup_files(self, tmp_path, own_root):
        """Without cgroup files (macOS, Windows) there is no quota."""
        assert cores.cpu_quota(tmp_path) is None


class TestUsableCores:
    def test_the_smallest_limit_wins(self, monkeypatch):
        """A 2-CPU quota on a 64-core machine gives 2, rounded up from a fraction."""
        monkeypatch.delenv(cores.CPUS_ENV, raising=False)
        monkeypatch.setattr(cores.os, "cpu_count", lambda: 64)
        monkeypatch.setattr(cores, "cpu_quota", lambda: 1.5)
        assert cores.limits()["cgroup quota"] == 2
        assert cores.usable_cores() == min(2, cores.limits().get("affinity", 64))

    @pytest.mark.parametrize("value", ["1", "2", "96"])
    def test_forced(self, monkeypatch, value):
        """COURSE_CPUS forces the answer, for tests and smaller shares."""
        monkeypatch.setenv(cores.CPUS_ENV, value)
        assert cores.usable_cores() == int(value)

    @pytest.mark.parametrize("value", ["0", "two", "-3", ""])
    def test_forced_must_be_a_count(self, monkeypatch, value):
        """A bad COURSE_CPUS fails with the rule, not deep inside a lesson."""
        monkeypatch.setenv(cores.CPUS_ENV, value)
        with pytest.raises(ValueError, match=r"COURSE_CPUS must be a whole number >= 1"):
            cores.usable_cores()
