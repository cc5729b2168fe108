"""Tests for course.lessons.sync.bank: the counter and the slow-storage counter and accounts."""

import threading
import time

from course import testing
from course.lessons.sync import Account, Counter, SlowCounter

WAIT_S = 5  # bound on every probe


class TestCounter:
    def test_counts_in_one_thread(self):
        """Alone, the classic counter counts."""
        counter = Counter(2)
        for _ in range(3):
            counter.increment()
        assert counter.value == 5


class TestSlowCounter:
    def test_counts_in_one_thread(self):
        """Alone, the slow counter is a plain counter; read and write reach its storage."""
        counter = SlowCounter(3)
        for _ in range(4):
            counter.increment()
        assert counter.value == 7 and counter.read() == 7
        counter.write(10)
        assert counter.value == 10

    def test_loses_updates_without_a_lock(self):
        """Read, sleep(0), write from 4 threads released together loses updates every trial."""
        report = testing.race_probe(SlowCounter, trials=5, timeout=WAIT_S)
        assert all(lost > 0 for lost in report.lost), report.summary()

    def test_a_lock_across_increment_keeps_every_update(self):
        """Holding one lock across the read-modify-write keeps every update."""
        class Locked(SlowCounter):
            def __init__(self):
                super().__init__()
                self.lock = threading.Lock()

            def increment(self):
                with self.lock:
                    super().increment()

        report = testing.race_probe(Locked, trials=5, timeout=WAIT_S)
        assert not report.raced, report.summary()

    def test_patched_sleep_cannot_hide_the_race(self):
        """The pause is bound at import: replacing time.sleep does not remove it."""
        original = time.sleep
        time.sleep = lambda seconds: None
        try:
            assert testing.race_probe(SlowCounter, timeout=WAIT_S).raced
        finally:
            time.sleep = original


class TestAccount:
    def test_moves_money_and_has_its_own_lock(self):
        """Deposits and withdrawals change the balance; each account has a distinct lock."""
        first, second = Account(100, "a"), Account(name="b")
        first.withdraw(30)
        second.deposit(30)
        assert (first.balance, second.balance) == (70, 30)
        assert first.lock is not second.lock
        assert isinstance(first.lock, type(threading.Lock()))

    def test_withdraw_may_go_below_zero(self):
        """Guarding the balance is the caller's job: withdraw alone checks nothing."""
        account = Account(1)
        account.withdraw(3)
        assert account.balance == -2

    def test_repr_names_the_class(self):
        """The repr shows the balance and the name, under a subclass's own name too."""
        class SafeAccount(Account):
            pass

        assert repr(Account(70, "a")) == "Account(balance=70, name='a')"
        assert repr(SafeAccount(5, "b")) == "SafeAccount(balance=5, name='b')"
