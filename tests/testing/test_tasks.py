"""Tests for course/testing/tasks.py: bounded awaits and the leftover check of asyncio tests."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from course import testing
from course.testing import tasks as tasks_module

BOUND_S = 5.0


def run(coroutine):
    """Run a test coroutine on a fresh loop, bounded so a broken check cannot hang the suite."""
    async def bounded():
        return await asyncio.wait_for(coroutine, BOUND_S)
    return asyncio.run(bounded())


class TestAwaitWithin:
    def test_returns_the_result(self):
        """A coroutine that finishes in time gives back its value."""
        async def answer():
            await asyncio.sleep(0)
            return 42
        assert run(testing.await_within(answer(), 1)) == 42

    def test_reraises_the_error_unchanged(self):
        """The student's own exception reaches the test, not a wrapper."""
        async def broken():
            raise KeyError("mine")
        with pytest.raises(KeyError, match="mine"):
            run(testing.await_within(broken(), 1))

    def test_not_awaitable(self):
        """A function defined without async returns a value: the message says to use async def."""
        with pytest.raises(AssertionError,
                           match=r"expected fetch_all\(...\) to give a coroutine "
                                 r"to await, but it returned list \[1, 2\]") as info:
            run(testing.await_within([1, 2], 1, "fetch_all(...)"))
        assert "async def" in str(info.value)

    def test_timeout_names_where_each_task_is_stuck(self):
        """On expiry the message names the deadlock and the line each task waits on."""
        async def main():
            gate = asyncio.Event()

            async def waiter():
                await gate.wait()  # nobody sets it

            async def stuck():
                await asyncio.gather(waiter(), waiter())

            before = asyncio.all_tasks()
            with pytest.raises(AssertionError) as info:
                await testing.await_within(stuck(), 0.05)
            return str(info.value), [t for t in asyncio.all_tasks() - before if not t.done()]

        message, left = run(main())
        assert message.startswith("stuck(...) did not finish within 0.05 s: deadlock")
        assert "await gate.wait()" in message and "Hint:" in message
        assert left == [], f"the stuck tasks were not cancelled: {left}"

    def test_the_next_line_sees_what_the_call_left(self):
        """It runs in the caller's task: a task cancelled but not awaited is still pending after."""
        async def careless():
            task = asyncio.create_task(asyncio.sleep(10))
            await asyncio.sleep(0)
            task.cancel()
            return task

        async def main():
            task = await testing.await_within(careless(), 1)
            pending = not task.done()
            await asyncio.gather(task, return_exceptions=True)
            return pending

        assert run(main())

    def test_outside_cancellation_passes_through(self):
        """A cancellation that is not the time limit's stays a cancellation."""
        async def main():
            waiting = asyncio.ensure_future(testing.await_within(asyncio.sleep(10), 5))
            await asyncio.sleep(0)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            return True

        assert run(main())

    def test_a_busy_loop_holding_the_loop_is_stopped(self, monkeypatch):
        """Code spinning without awaiting is stopped by the watchdog, even past except Exception."""
        monkeypatch.setattr(tasks_module, "BLOCKED_GRACE_S", 0.1)

        async def spins():
            while True:
                try:
                    pass
                except Exception:  # a student's catch-all does not swallow it
                    pass

        async def main():
            with pytest.raises(AssertionError) as info:
                await testing.await_within(spins(), 0.1)
            return str(info.value)

        message = run(main())
        assert message.startswith("spins(...) did not finish within 0.1 s: it held the event "
                                  "loop's thread")
        assert "spins(): while True:" in message and "Hint: a coroutine must await" in message

    def test_a_busy_child_task_is_stopped_too(self, monkeypatch):
        """A spinning task started by the call is stopped; the call is then cancelled."""
        monkeypatch.setattr(tasks_module, "BLOCKED_GRACE_S", 0.1)

        async def spinner():
            while True:
                pass

        async def parent():
            await asyncio.gather(spinner(), asyncio.sleep(10))

        async def main():
            with pytest.raises(AssertionError) as info:
                await testing.await_within(parent(), 0.1)
            return str(info.value), [t for t in asyncio.all_tasks()
                                     if t is not asyncio.current_task() and not t.done()]

        message, left = run(main())
        assert "it held the event loop's thread" in message and "spinner(): while True:" in message
        assert len(left) <= 1  # at most run()'s own wait_for wrapper

    @pytest.mark.parametrize("seconds, error", [(0, ValueError), ("1", TypeError)])
    def test_bad_seconds(self, seconds, error):
        """The time limit is checked at the door."""
        async def main():
            coroutine = asyncio.sleep(0)
            try:
                await testing.await_within(coroutine, seconds)
            finally:
                coroutine.close()
        with pytest.raises(error, match="seconds must be"):
            run(main())


class TestNothingLeftRunning:
    def test_clean_body_passes(self):
        """Tasks awaited inside the block are not leftovers."""
        async def main():
            async with testing.nothing_left_running("job"):
                await asyncio.gather(asyncio.sleep(0.001), asyncio.sleep(0))
            return "ok"
        assert run(main()) == "ok"

    def test_pending_task_fails_and_is_cancelled(self):
        """A task still pending fails the check, is named, and is cancelled afterwards."""
        async def main():
            holder = {}
            with pytest.raises(AssertionError) as info:
                async with testing.nothing_left_running("fetch_all"):
                    holder["task"] = asyncio.create_task(asyncio.sleep(10), name="forgotten")
                    await asyncio.sleep(0)
            return str(info.value), holder["task"]

        message, task = run(main())
        assert message.startswith("expected nothing left running after fetch_all returned, "
                                  "but 1 task was still running:")
        assert "'forgotten'" in message and "Hint: await every task" in message
        assert task.cancelled()

    def test_cancelled_but_not_awaited_is_still_pending(self):
        """A task asked to cancel but not awaited yet is a leftover, and the message says so."""
        async def main():
            async def slow():
                await asyncio.sleep(10)

            with pytest.raises(AssertionError) as info:
                async with testing.nothing_left_running("f"):
                    task = asyncio.create_task(slow())
                    await asyncio.sleep(0)
                    task.cancel()
            return str(info.value)

        assert "cancel() was called, but the task has not finished: await it" in run(main())

    def test_fail_false_only_cleans_up(self):
        """With fail=False leftovers are cancelled quietly."""
        async def main():
            async with testing.nothing_left_running("f", fail=False):
                task = asyncio.create_task(asyncio.sleep(10))
            return task.cancelled()
        assert run(main())

    def test_error_in_body_passes_through_and_cleans_up(self):
        """The body's own error wins; its leftovers are still cancelled."""
        async def main():
            holder = {}
            with pytest.raises(ZeroDivisionError):
                async with testing.nothing_left_running("f"):
                    holder["task"] = asyncio.create_task(asyncio.sleep(10))
                    1 / 0
            return holder["task"].cancelled()
        assert run(main())

    def test_busy_thread_fails(self, monkeypatch):
        """A thread started inside and still working fails the check after the grace period."""
        monkeypatch.setattr(tasks_module, "THREAD_GRACE_S", 0.05)
        release = threading.Event()

        async def main():
            async with testing.nothing_left_running("load_all"):
                threading.Thread(target=release.wait, args=(BOUND_S,), name="busy one").start()

        try:
            with pytest.raises(AssertionError, match=r"1 thread was still running:\n  - "
                                                     r"thread 'busy one'"):
                run(main())
        finally:
            release.set()

    def test_idle_pool_workers_are_not_busy(self):
        """The default executor's threads, idle after to_thread, are not leftovers."""
        async def main():
            async with testing.nothing_left_running("load_all"):
                await asyncio.to_thread(time.sleep, 0.001)
            return [t.name for t in threading.enumerate() if t.name.startswith("asyncio")]
        assert run(main()), "to_thread should have left an idle worker thread to test with"

    def test_pool_worker_running_a_job_is_busy(self, monkeypatch):
        """A pool thread still running a job is busy, even though it is a pool worker."""
        monkeypatch.setattr(tasks_module, "THREAD_GRACE_S", 0.05)
        release = threading.Event()
        pool = ThreadPoolExecutor(1, thread_name_prefix="student pool")

        async def main():
            async with testing.nothing_left_running("load_all"):
                pool.submit(release.wait, BOUND_S)

        try:
            with pytest.raises(AssertionError, match="thread 'student pool_0'"):
                run(main())
        finally:
            release.set()
            pool.shutdown(wait=True)

    @pytest.mark.parametrize("filename, ours", [
        ("/venv/lib/python3.11/site-packages/ipykernel/kernelbase.py", False),
        ("/usr/lib/python3/dist-packages/tornado/ioloop.py", False),
        ("/usr/lib/python3.11/asyncio/tasks.py", True),
        ("/tmp/ipykernel_123/456.py", True),
        (tasks_module._COURSE_DIR + "lessons/event_loop/sim.py", True),
    ])
    def test_kernel_tasks_are_not_counted(self, filename, ours):
        """Tasks running the kernel's own code (site-packages) are never leftovers."""
        class Coroutine:
            cr_code = compile("pass", filename, "exec")

        class Task:
            def get_coro(self):
                return Coroutine()

        assert tasks_module._is_ours(Task()) is ours
