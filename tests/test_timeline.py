"""Tests for course.timeline: recording, classification, merging and metrics."""

import os
import threading
import time

import pytest

from course.timeline import (READY, RUNNING, STARTUP, WAIT, WAITING, WORK, Lane, Recorder,
                             Timeline, usable_cores)

MS = 1_000_000


def lane_export(name, spans, pid=None, launch_ns=None, cpu_ns=None):
    """A lane as a worker would export it, with spans in ms."""
    return {"name": name, "pid": pid or os.getpid(), "tid": 1, "cpu_ns": cpu_ns,
            "clock_pair": None, "launch_ns": launch_ns,
            "spans": [(round(s * MS), round(e * MS), k) for s, e, k in spans]}


class TestLane:
    def test_records_and_exports(self):
        """A lane exports its spans, pid, native thread id and CPU time as plain data."""
        lane = Lane("worker")
        lane.record(1, 2)
        lane.record(3, 4, WAIT)
        data = lane.close().export()
        assert data["spans"] == [(1, 2, WORK), (3, 4, WAIT)]
        assert data["pid"] == os.getpid()
        assert data["tid"] == threading.get_native_id()
        assert data["cpu_ns"] >= 0


class TestRecorder:
    def test_collects_lanes_of_threads(self):
        """Each thread's lane shows up in the timeline under its own name."""
        recorder = Recorder()

        def work(name):
            lane = recorder.lane(name)
            start = time.perf_counter_ns()
            lane.record(start, time.perf_counter_ns())
            lane.close()

        threads = [threading.Thread(target=work, args=(f"t{i}",)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(5)
        timeline = recorder.timeline("demo")
        assert sorted(timeline.lane_names) == ["t0", "t1", "t2"]
        assert timeline.label == "demo"


class TestClassification:
    def test_stretched_chunk_is_ready_not_running(self):
        """A chunk far longer than its lane's median lost the GIL: it counts as ready."""
        spans = [(i * 0.05, i * 0.05 + 0.05, WORK) for i in range(10)] + [(0.5, 1.5, WORK)]
        timeline = Timeline.from_lanes([lane_export("a", spans)], 0, 2 * MS)
        kinds = [(s.kind, s.start_ns, s.end_ns) for s in timeline.segments()]
        assert kinds == [(RUNNING, 0, round(0.5 * MS)), (READY, round(0.5 * MS), round(1.5 * MS))]

    def test_short_chunks_merge_and_waits_stay_waiting(self):
        """Back-to-back running chunks merge into one segment; waits become waiting."""
        spans = [(0, 0.05, WORK), (0.05, 0.1, WORK), (0.1, 5, WAIT), (5, 5.05, WORK)]
        timeline = Timeline.from_lanes([lane_export("a", spans)], 0, 6 * MS)
        assert [s.kind for s in timeline.segments()] == [RUNNING, WAITING, RUNNING]

    def test_launch_adds_startup_segment(self):
        """A process lane launched before its first chunk shows a start-up segment."""
        export = lane_export("p", [(2, 3, WORK)], pid=os.getpid() + 1, launch_ns=MS)
        timeline = Timeline.from_lanes([export], 0, 4 * MS)
        assert [(s.kind, s.start_ns) for s in timeline.segments()] == [
            (STARTUP, MS), (RUNNING, 2 * MS)]

    def test_span_outside_window_is_rejected(self):
        """A span far outside the run's window means the clocks disagree: a clear error."""
        with pytest.raises(ValueError, match="outside the run's window"):
            Timeline.from_lanes([lane_export("a", [(0, 100, WORK)])], 0, 10 * MS)


class TestMetrics:
    def test_touching_intervals_do_not_overlap(self):
        """One lane ending exactly when another starts is never two lanes running."""
        timeline = Timeline.from_segments([("a", 0, 1), ("b", 1, 2)])
        assert timeline.max_at_once() == 1
        assert timeline.share_at_least(2) == 0
        assert timeline.parallelism() == pytest.approx(1.0)

    def test_overlap_share_and_parallelism(self):
        """Two lanes overlapping half the time: 50 % with >= 2 running, parallelism 1.5."""
        timeline = Timeline.from_segments([("a", 0, 2), ("b", 1, 2)])
        assert timeline.share_at_least(2) == pytest.approx(0.5)
        assert timeline.parallelism() == pytest.approx(1.5)
        assert timeline.profile() == [(0, 1), (1_000_000_000, 2), (2_000_000_000, 0)]

    def test_waiting_profile_is_separate(self):
        """Waiting lanes count in the waiting profile, not the running one."""
        timeline = Timeline.from_segments([("a", 0, 1, "waiting"), ("b", 0, 1, "waiting")])
        assert timeline.max_at_once(WAITING) == 2
        assert timeline.max_at_once(RUNNING) == 0

    def test_metrics_summary(self):
        """Metrics count lanes and processes and use running time when CPU was not measured."""
        metrics = Timeline.from_segments([("a", 0, 1), ("b", 0, 1)], cores=2).metrics()
        assert (metrics.lanes, metrics.processes, metrics.cores) == (2, 1, 2)
        assert metrics.cpu_over_wall == pytest.approx(2.0)
        assert "CPU/wall 2.00" in metrics.summary()

    def test_empty_timeline(self):
        """An empty timeline has zero metrics instead of dividing by zero."""
        timeline = Timeline.from_segments([])
        assert timeline.is_empty
        assert timeline.metrics().cpu_over_wall == 0.0
        assert timeline.parallelism() == 0.0


class TestErrors:
    @pytest.mark.parametrize("row, message", [
        (("a", 2, 1), "a segment must end after it starts (got 2..1 on lane 'a')"),
        (("a", 0, 1, "sleeping"),
         "kind must be one of running, ready, waiting, startup (got 'sleeping')"),
        (("a", 0), "a segment row is (lane, start_s, end_s[, kind]) (got ('a', 0))"),
    ])
    def test_bad_rows(self, row, message):
        """Bad synthetic rows fail at the door with a message naming the rule."""
        with pytest.raises(ValueError) as info:
            Timeline.from_segments([row])
        assert str(info.value) == message

    def test_bad_k_and_kind(self):
        """k below 1 and unknown kinds are rejected with the rule."""
        timeline = Timeline.from_segments([("a", 0, 1)])
        with pytest.raises(ValueError, match=r"k must be >= 1 \(got 0\)"):
            timeline.share_at_least(0)
        with pytest.raises(ValueError, match="kind must be one of"):
            timeline.profile("busy")

    def test_window_must_not_end_before_start(self):
        """A window that ends before it starts is refused."""
        with pytest.raises(ValueError, match="timeline must end after it starts"):
            Timeline(lanes=[], start_ns=5, end_ns=1)


def test_usable_cores_is_positive():
    """The core count used for charts is at least one."""
    assert usable_cores() >= 1


class TestDescheduledGaps:
    def test_long_gap_between_work_chunks_is_ready(self):
        """A long pause between two work chunks is time the worker was ready but not running."""
        spans = [(i * 0.05, i * 0.05 + 0.05, WORK) for i in range(10)] + [(5.0, 5.05, WORK)]
        timeline = Timeline.from_lanes([lane_export("a", spans)], 0, 6 * MS)
        assert [s.kind for s in timeline.segments()] == [RUNNING, READY, RUNNING]

    def test_gap_after_a_wait_stays_empty(self):
        """A pause next to a recorded wait is not guessed at."""
        spans = [(0, 0.05, WORK), (0.05, 1, WAIT), (3, 3.05, WORK)]
        timeline = Timeline.from_lanes([lane_export("a", spans)], 0, 4 * MS)
        assert READY not in [s.kind for s in timeline.segments()]


class TestRecorderSpans:
    def test_each_thread_gets_its_own_named_lane(self):
        """span() records on the calling thread's lane, created on first use and named after it."""
        rec = Recorder()
        meet = threading.Barrier(3)

        def worker():
            with rec.span("wait"):
                meet.wait(5)
            with rec.span("work"):
                sum(range(1000))

        threads = [threading.Thread(target=worker, name=f"worker {i}") for i in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(5)
        timeline = rec.timeline()
        assert sorted(timeline.lane_names) == ["worker 0", "worker 1", "worker 2"]
        assert all(len(lane["spans"]) == 2 for lane in timeline.lanes)
        assert timeline.max_at_once(WAITING) == 3

    def test_a_timeline_keeps_what_was_recorded_when_it_was_taken(self):
        """Spans recorded after timeline() was called do not appear in that timeline."""
        rec = Recorder()
        with rec.span("wait"):
            pass
        before = rec.timeline()
        with rec.span("wait"):
            pass
        assert [len(lane["spans"]) for lane in before.lanes] == [1]
        assert [len(lane["spans"]) for lane in rec.timeline().lanes] == [2]

    def test_span_records_even_when_the_block_raises(self):
        """A block that raises still ran: its span is recorded, and the error passes through."""
        rec = Recorder()
        with pytest.raises(KeyError):
            with rec.span():
                raise KeyError("x")
        (lane,) = rec.timeline().lanes
        assert [kind for _, _, kind in lane["spans"]] == [WORK]

    def test_unclassified_spans_are_taken_as_they_are(self):
        """With classify=False a long work span stays running, never split into ready."""
        rec = Recorder(classify=False)
        with rec.span("work"):
            time.sleep(0.001)
        with rec.span("work"):
            time.sleep(0.02)
        kinds = {s.kind for s in rec.timeline().segments()}
        assert kinds == {RUNNING}

    def test_tasks_get_lanes_of_their_own(self):
        """With lanes="tasks", each asyncio task records on a lane named after the task."""
        import asyncio

        rec = Recorder(lanes="tasks")

        async def job():
            with rec.span("wait"):
                await asyncio.sleep(0.01)

        async def main():
            await asyncio.gather(*(asyncio.create_task(job(), name=f"job {i}") for i in range(3)))

        asyncio.run(main())
        timeline = rec.timeline()
        assert sorted(timeline.lane_names) == ["job 0", "job 1", "job 2"]
        assert len({lane["tid"] for lane in timeline.lanes}) == 1  # one thread runs them all
        assert timeline.max_at_once(WAITING) == 3

    def test_a_task_holding_the_loop_is_running_however_long(self):
        """With lanes="tasks" spans are taken as they are: a long blocking "work" span stays
        running (the task held the loop), never reclassified as "ready"."""
        import asyncio

        rec = Recorder(lanes="tasks")

        async def job():
            for seconds in (0.001, 0.001, 0.001, 0.03):
                with rec.span("work"):
                    time.sleep(seconds)  # the last one blocks the loop for 30 ms

        asyncio.run(job())
        assert {s.kind for s in rec.timeline().segments()} == {RUNNING}
        assert Recorder(lanes="tasks", classify=True).classify

    def test_add_takes_lanes_recorded_elsewhere(self):
        """Lane exports (as a pool worker returns them) join the recorder's own lanes."""
        rec = Recorder()
        with rec.span():
            pass
        other = Lane("elsewhere")
        with other.span("wait"):
            pass
        rec.add([other.export()])
        assert rec.timeline().lane_names == [threading.current_thread().name, "elsewhere"]

    @pytest.mark.parametrize("call, error, message", [
        (lambda: Recorder(lanes="processes"), ValueError,
         "lanes must be one of threads, tasks (got 'processes')"),
        (lambda: Recorder().span("sleep"), ValueError,
         "kind must be one of work, wait (got 'sleep')"),
        (lambda: Recorder().add([1]), TypeError,
         "add() takes Lane.export() dicts (or a list of them) (got int)"),
    ])
    def test_bad_arguments(self, call, error, message):
        """Unknown lane modes, kinds and foreign lanes fail at the door with the rule."""
        with pytest.raises(error) as info:
            call()
        assert str(info.value) == message

    def test_plot_draws_a_gantt_chart(self):
        """Timeline.plot() is course.plot_gantt on that timeline."""
        rec = Recorder()
        with rec.span("wait"):
            time.sleep(0.002)
        fig = rec.timeline().plot(title="mine")
        assert fig.texts[0].get_text().startswith("mine")
