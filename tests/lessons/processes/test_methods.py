"""Tests for course.lessons.processes.methods: the start method a grader may choose."""

import multiprocessing
import os
import subprocess
import sys

import pytest

from course.lessons.processes import methods
from course.start_methods import START_METHODS

TIMEOUT_S = 60


class TestStartMethodFromEnv:
    @pytest.mark.parametrize("value", [None, "", "  "])
    def test_unset_or_blank(self, monkeypatch, value):
        """An unset or blank COURSE_START_METHOD asks for nothing."""
        if value is None:
            monkeypatch.delenv(methods.START_METHOD_ENV, raising=False)
        else:
            monkeypatch.setenv(methods.START_METHOD_ENV, value)
        assert methods.start_method_from_env() is None

    def test_named_method(self, monkeypatch):
        """A valid method name is returned as it is, surrounding blanks dropped."""
        monkeypatch.setenv(methods.START_METHOD_ENV, " spawn ")
        assert methods.start_method_from_env() == "spawn"

    def test_unknown_method(self, monkeypatch):
        """An unknown method is refused with the rule and the value."""
        monkeypatch.setenv(methods.START_METHOD_ENV, "clone")
        with pytest.raises(ValueError) as caught:
            methods.start_method_from_env()
        assert str(caught.value) == (f"COURSE_START_METHOD must be one of "
                                     f"{', '.join(START_METHODS)} (got 'clone')")


def _run(code: str, **env) -> list[str]:
    """Run *code* in a fresh interpreter with extra environment variables; return its words."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=TIMEOUT_S, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


class TestUseStartMethod:
    CODE = ("import multiprocessing, warnings\n"
            "filters = list(warnings.filters)\n"
            "from course.lessons import processes as lesson\n"
            "from course import doctor\n"
            "print(multiprocessing.get_start_method(allow_none=True),"
            " filters == warnings.filters)\n"
            "print(lesson.use_start_method(), doctor.report().start_method)\n")

    def test_importing_changes_nothing_and_the_call_applies_the_variable(self):
        """The import leaves start method and warning filters alone; the call applies the
        variable, and the environment report shows it."""
        words = _run(self.CODE, COURSE_START_METHOD="spawn")
        assert words == ["None", "True", "spawn", "spawn"]

    def test_without_the_variable_the_default_stays(self):
        """Without the variable, the call returns the platform's default and fixes nothing."""
        code = self.CODE + "print(multiprocessing.get_start_method(allow_none=True))\n"
        words = _run(code, COURSE_START_METHOD="")
        assert words == ["None", "True", START_METHODS[0], START_METHODS[0], "None"]

    def test_in_this_process(self, monkeypatch):
        """Called here with the variable unset, it returns this process's default."""
        monkeypatch.delenv(methods.START_METHOD_ENV, raising=False)
        assert methods.use_start_method() == (multiprocessing.get_start_method(allow_none=True)
                                              or START_METHODS[0])
