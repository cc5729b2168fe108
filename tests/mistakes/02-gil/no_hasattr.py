"""Calls sys._is_gil_enabled() unconditionally: AttributeError on Python 3.10 to 3.12."""
LOSES = 3  # both gil_enabled tests simulate a build before 3.13

# %% grade_id: gil_enabled
import sys


def gil_enabled():
    """Return True when this interpreter runs with the GIL enabled right now."""
    return sys._is_gil_enabled()
