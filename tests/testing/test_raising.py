"""Tests for course.testing.raising: assert_raises names the call, what happened and a hint."""

import threading

import pytest

from course.testing import assert_raises


def refuse(amount):
    if amount <= 0:
        raise ValueError(f"amount must be > 0 (got {amount})")
    return amount


class TestAssertRaises:
    def test_returns_the_error(self):
        """The expected error comes back, for further checks."""
        error = assert_raises(ValueError, refuse, 0, what="refuse(0)", hint="check amount")
        assert str(error) == "amount must be > 0 (got 0)"

    def test_a_return_fails_with_the_value_and_hint(self):
        """A call that returns is named, with its value and the hint."""
        with pytest.raises(AssertionError) as excinfo:
            assert_raises(ValueError, refuse, 3, what="refuse(3)", hint="check amount")
        assert str(excinfo.value) == ("refuse(3) should raise ValueError, but it returned 3."
                                      "\nHint: check amount")

    def test_another_error_fails(self):
        """The wrong exception type is named with its message."""
        def broken(amount):
            raise KeyError("oops")

        with pytest.raises(AssertionError) as excinfo:
            assert_raises(ValueError, broken, 1, what="broken(1)", hint="raise ValueError")
        assert str(excinfo.value) == ("broken(1) should raise ValueError, but it raised "
                                      "KeyError: 'oops'\nHint: raise ValueError")

    def test_a_hang_is_bounded(self):
        """A call that never returns fails after the timeout, saying where it is stuck."""
        release = threading.Event()
        try:
            with pytest.raises(AssertionError) as excinfo:
                assert_raises(ValueError, release.wait, 5, what="wait", hint="-", timeout=0.2)
        finally:
            release.set()
        assert str(excinfo.value).startswith("wait should raise ValueError, but it did not "
                                             "finish:\ndid not finish within 0.2 s")
