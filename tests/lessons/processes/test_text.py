"""Tests for course.lessons.processes.text: prose computed from measured numbers."""

import pytest

from course.lessons.processes import text
from course.lessons.processes.measure import Transfer
from course.timeline import Timeline


def lanes(*rows, cores=2):
    """A synthetic timeline of (lane, start_s, end_s[, kind]) rows."""
    return Timeline.from_segments(rows, cores=cores)


class TestDuration:
    @pytest.mark.parametrize("seconds, shown", [
        (1.7e-7, "170 ns"), (3.5e-5, "35 µs"), (0.0024, "2.40 ms"), (0.0131, "13.1 ms"),
        (0.25, "250 ms"), (1.25, "1.25 s")])
    def test_units(self, seconds, shown):
        """Each range of durations gets the unit that reads best."""
        assert text.duration(seconds) == shown


class TestSetupNote:
    def test_names_method_and_cores(self):
        """The note names the start method and the number of cores."""
        note = text.setup_note("spawn", 4)
        assert "`spawn`" in note and "**4**" in note

    def test_one_core(self):
        """With one core, the note says processes take turns."""
        assert "take turns" in text.setup_note("spawn", 1)

    @pytest.mark.parametrize("args, message", [
        (("spawn", 0), r"cores must be >= 1 \(got 0\)"),
        (("clone", 2), r"method must be one of .* \(got 'clone'\)")])
    def test_bad_arguments(self, args, message):
        """Bad cores or methods are refused."""
        with pytest.raises(ValueError, match=message):
            text.setup_note(*args)


def test_reports_text_names_the_parent():
    """The kernel as parent is named; under forkserver another parent is the server."""
    reports = [("child 0", 11, 5), ("child 1", 12, 5)]
    assert "Their parent: this kernel" in text.reports_text(reports, 5, "fork")
    assert "the forkserver" in text.reports_text(reports, 4, "forkserver")
    assert "**2** different pids" in text.reports_text(reports, 5, "spawn")


def test_startup_text_compares_with_a_thread():
    """The slowest method is named with its ratio to a thread."""
    said = text.startup_text({"thread": 0.0001, "fork": 0.01, "spawn": 0.2})
    assert "The slowest, spawn, took 2,000x a thread" in said


@pytest.mark.parametrize("seen, version, expected", [
    (["This process is multi-threaded, use of fork() may lead to deadlocks."], (3, 12),
     "A notebook would not have shown it"),
    ([], (3, 11), "has no such warning (it came with 3.12)"),
    ([], (3, 13), "No warning this time")])
def test_fork_warning_text(seen, version, expected):
    """The text says what this Python did: warned (hidden in a notebook), or could not."""
    assert expected in text.fork_warning_text(seen, version, 8)


def test_parallel_text_finds_the_slow_range():
    """Unequal lanes are named with their durations."""
    timeline = lanes(("worker 0", 0, 0.2), ("worker 1", 0, 0.5))
    said = text.parallel_text(timeline, 2)
    assert "at most **2** ran at the same moment" in said
    assert "worker 1 took 500 ms and worker 0 200 ms" in said


class TestOversubscribedText:
    def test_no_speed_added(self):
        """Twice the work in twice the time: the extra processes added no speed."""
        fit = lanes(("p0", 0, 1), ("p1", 0, 1))
        crowded = lanes(("p0", 0, 2), ("p1", 0, 2), ("p2", 0, 2), ("p3", 0, 2))
        assert "added no speed" in text.oversubscribed_text(fit, crowded, 2)

    def test_more_work_per_second_is_reported_as_measured(self):
        """When the crowded run did more per second, the text says so instead."""
        fit = lanes(("p0", 0, 1), ("p1", 0, 1))
        crowded = lanes(("p0", 0, 1.2), ("p1", 0, 1.2), ("p2", 0, 1.2), ("p3", 0, 1.2))
        said = text.oversubscribed_text(fit, crowded, 2)
        assert "did 1.67x as much work per second" in said and "no speed" not in said


def test_transfer_and_shared_memory_texts():
    """The biggest transfer and the slowest start are quoted with their numbers."""
    rows = [Transfer(1.0, 0.001, 0.004), Transfer(32.0, 0.03, 0.128)]
    said = text.transfer_text(rows, {"thread": 0.0001, "fork": 0.01, "spawn": 0.3})
    assert "Sending 32 MB cost **128 ms**, about 4.0 ms per MB" in said and "spawn" in said
    assert "pickling took 128 ms" in text.shared_memory_text("psm_1", 0.03, rows)


@pytest.mark.parametrize("flags, expected", [
    ((True, False, True), "could not end until its item was read"),
    ((True, True, True), "this platform's pipe took the whole item"),
    ((True, False, False), "look for a stuck process")])
def test_queue_flush_text(flags, expected):
    """The text follows what the producers did."""
    assert expected in text.queue_flush_text(*flags)


@pytest.mark.parametrize("unlocked, expected", [(110, "**90** of 200 updates were lost"),
                                                (200, "nothing was lost this time")])
def test_value_race_text(unlocked, expected):
    """Lost updates are counted, and a run that lost none says so honestly."""
    assert expected in text.value_race_text({False: (unlocked, 0.2), True: (200, 0.4)}, 200)


def test_costs_summary_lists_what_was_measured():
    """Only the measured costs are listed, each with its unit."""
    said = text.costs_summary({"thread": 1e-4, "fork": 0.01, "message": 3.3e-5, "local": 1.7e-7})
    assert said.splitlines()[2:] == [
        "- starting and joining a process: 10.0 ms (fork)",
        "- starting and joining a thread: 100 µs",
        "- a small message there and back through a Pipe: 33 µs",
        "- one update of a dict in this process: 170 ns"]
