"""Tests for course.testing.hashing: HashTracker, a digest that makes pools show themselves."""

import hashlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

from course import testing


def _blobs(count):
    return [i.to_bytes(8, "big") * 512 for i in range(count)]


def _sha(blob):
    return hashlib.sha256(blob).hexdigest()


class TestHashTracker:
    def test_pool_reorders_completion(self):
        """With a pool, the first blob finishes last, and two calls are seen at once."""
        blobs = _blobs(4)
        tracker = testing.HashTracker(blobs)
        with ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(tracker, b) for b in blobs]
            done_first = next(as_completed(futures))
        assert [f.result() for f in futures] == [_sha(b) for b in blobs]
        assert done_first is not futures[0] and not tracker.held_in_vain
        assert tracker.calls == 4
        testing.assert_reached(tracker.timeline(), 2, kind="running")
        testing.assert_distinct_threads(tracker.timeline(), 2)

    def test_later_blobs_wait_for_the_first(self):
        """A thread that grabs the later blobs before the first one starts cannot finish them
        all alone: the overlap is seen however the threads are scheduled."""
        blobs = _blobs(5)
        tracker = testing.HashTracker(blobs, hold_s=5.0, settle_s=0.0)
        later = threading.Thread(target=lambda: [tracker(b) for b in blobs[1:]], daemon=True)
        later.start()
        time.sleep(0.2)  # the first blob starts late, as when its thread is descheduled
        first = threading.Thread(target=tracker, args=(blobs[0],), daemon=True)
        first.start()
        for thread in (later, first):
            thread.join(5.0)
            assert not thread.is_alive(), "did not finish within 5 s: deadlock?"
        assert testing.assert_reached(tracker.timeline(), 2, kind="running") == 2
        assert not tracker.held_in_vain

    def test_one_thread_in_any_order_loses_one_hold(self):
        """Holds share one deadline: one thread taking the first blob last waits once."""
        blobs = _blobs(6)
        tracker = testing.HashTracker(blobs, hold_s=0.2)
        started = time.monotonic()
        assert [tracker(b) for b in reversed(blobs)] == [_sha(b) for b in reversed(blobs)]
        assert time.monotonic() - started < 2.0
        assert tracker.held_in_vain and tracker.timeline().max_at_once("running") == 1

    def test_one_thread_waits_in_vain(self):
        """One thread alone holds the first blob in vain, briefly, and is recorded."""
        blobs = _blobs(2)
        tracker = testing.HashTracker(blobs, hold_s=0.05)
        assert [tracker(b) for b in blobs] == [_sha(b) for b in blobs]
        assert tracker.held_in_vain and len(tracker.timeline().lanes) == 1

    def test_single_blob_never_holds(self):
        """A single blob has nobody to wait for, so it is hashed at once."""
        (blob,) = _blobs(1)
        tracker = testing.HashTracker([blob], hold_s=5.0)
        done = threading.Event()
        worker = threading.Thread(target=lambda: (tracker(blob), done.set()), daemon=True)
        worker.start()
        assert done.wait(2.0), "did not finish within 2 s: the single blob was held?"
        assert not tracker.held_in_vain
