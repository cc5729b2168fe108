"""Tests for course.testing.locks: ContendedLocks make ordering and check-then-act bugs certain."""

import threading

import pytest

from course import testing
from course.lessons.sync import Account
from course.testing import ContendedLocks

BOUND_S = 0.5  # the bound given to code that is meant to deadlock
WAIT_S = 5  # bound on code meant to finish; far below the gate's 30 s: a wait there would show
GATE_S = 30.0


def run_together(targets):
    """Run each target in its own thread and wait for all (bounded by the caller)."""
    threads = [threading.Thread(target=t, daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def move(first, second):
    with first:
        with second:
            pass


class TestOrdering:
    def test_opposite_orders_deadlock_every_time(self):
        """Two threads taking two locks in opposite orders always end up waiting for each other."""
        for _ in range(5):
            locks = ContendedLocks(2, timeout=GATE_S)
            a, b = locks.lock(), locks.lock()
            with pytest.raises(AssertionError, match="did not finish within"):
                testing.finishes_within(run_together, BOUND_S,
                                        [lambda: move(a, b), lambda: move(b, a)])

    def test_one_order_never_waits_for_the_timeout(self):
        """In one fixed order the first holder goes on as soon as the other is blocked."""
        for _ in range(20):
            locks = ContendedLocks(4, timeout=GATE_S)
            a, b = locks.lock(), locks.lock()
            testing.finishes_within(run_together, WAIT_S, [lambda: move(a, b)] * 4)
            assert locks.arrived == 4


class TestCheckThenAct:
    def test_a_check_outside_the_lock_always_overdraws(self):
        """Every thread has checked the balance before the first one withdraws."""
        def check_then_lock(account):
            if account.read() >= 1:
                with account.lock:
                    account.withdraw(1)

        for _ in range(5):
            account = Account(1)
            ContendedLocks(6, timeout=GATE_S).install(account)
            testing.finishes_within(run_together, WAIT_S, [lambda: check_then_lock(account)] * 6)
            assert account.balance == -5

    def test_a_check_inside_the_lock_never_does(self):
        """Checked under the lock, exactly one withdrawal happens."""
        def check_under_lock(account):
            with account.lock:
                if account.read() >= 1:
                    account.withdraw(1)

        for _ in range(5):
            account = Account(1)
            ContendedLocks(6, timeout=GATE_S).install(account)
            testing.finishes_within(run_together, WAIT_S, [lambda: check_under_lock(account)] * 6)
            assert account.balance == 0


class TestLocks:
    def test_fewer_threads_than_expected_go_on_after_the_timeout(self):
        """A lone thread waits for the others at most the shared timeout, then goes on."""
        lock = ContendedLocks(3, timeout=0.05).lock()
        assert testing.finishes_within(lock.acquire, WAIT_S)
        assert lock.locked()
        lock.release()
        assert not lock.locked()

    def test_install_keeps_re_entrance(self):
        """install() gives an RLock's owner an RLock-like lock, a Lock's owner a plain one."""
        class Holder:
            def __init__(self, lock):
                self.lock = lock

        plain, reentrant = Holder(threading.Lock()), Holder(threading.RLock())
        ContendedLocks(1).install(plain, reentrant)
        with reentrant.lock:
            assert reentrant.lock.acquire(timeout=1)
            reentrant.lock.release()
            assert reentrant.lock.locked()
        assert not reentrant.lock.locked()
        with plain.lock:
            assert not plain.lock.acquire(timeout=0.01)
        assert repr(plain.lock) == "<ContendedLock (Lock) unlocked>"
        assert repr(reentrant.lock) == "<ContendedLock (RLock) unlocked>"

    def test_non_blocking_acquire(self):
        """acquire(False) fails at once on a held lock, as threading.Lock's does."""
        lock = ContendedLocks(1).lock()
        assert lock.acquire()
        holder_has_it = threading.Event()
        got = []
        thread = threading.Thread(target=lambda: (got.append(lock.acquire(False)),
                                                  holder_has_it.set()))
        thread.start()
        assert holder_has_it.wait(WAIT_S)
        thread.join(WAIT_S)
        lock.release()
        assert got == [False]

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"threads": 0}, ValueError, "threads must be >= 1 (got 0)"),
        ({"threads": 2, "timeout": 0}, ValueError, "timeout must be > 0 (got 0)"),
        ({"threads": "2"}, TypeError, "threads must be an int (got str)"),
    ])
    def test_rejects_bad_arguments(self, kwargs, error, message):
        """Bad arguments fail at the door."""
        with pytest.raises(error) as excinfo:
            ContendedLocks(**kwargs)
        assert str(excinfo.value) == message
