"""Reads the build flag Py_GIL_DISABLED, missing a free-threaded build whose GIL was switched back on."""
LOSES = 3  # both gil_enabled tests simulate PYTHON_GIL=1 on a free-threaded build

# %% grade_id: gil_enabled
import sys
import sysconfig


def gil_enabled():
    """Return True when this interpreter runs with the GIL enabled right now."""
    return not sysconfig.get_config_var("Py_GIL_DISABLED")
