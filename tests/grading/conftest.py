"""Fixtures of the end-to-end grading tests: one small class, and its serial grades."""

from __future__ import annotations

import pytest
from small_class import build_class, copy_class, serial_snapshot


@pytest.fixture(scope="session")
def class_template(tmp_path_factory):
    """The small class (classes.py), generated once; tests grade copies of it."""
    return build_class(tmp_path_factory.mktemp("class") / "course")


@pytest.fixture(scope="session")
def serial_grades(class_template, tmp_path_factory):
    """What plain `nbgrader autograde` writes for the small class: the reference."""
    return serial_snapshot(copy_class(class_template, tmp_path_factory.mktemp("serial") / "c"))
