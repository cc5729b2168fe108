"""The tamper seal, kernel side: installed before any notebook cell runs.

GuardedExecute sends :func:`_kernel_seal`'s source to each fresh kernel, so nothing a submission
does can come first. Before each test cell it calls ``check()``, which raises AssertionError when
an object the tests rely on was replaced (course.testing's fingerprint) or when a function or
class of a ``course`` module now comes from notebook code.
"""

from __future__ import annotations

import inspect

__all__ = ["MODIFIED", "HINT", "seal_source", "check_source"]

MODIFIED = "the grading helpers were modified"
HINT = ("Hint: restart the kernel and run all cells, and do not reassign functions of time, "
        "threading or course in your code.")


def _kernel_seal(name):
    """Note the helpers graded tests rely on; register ``sys.modules[name].check()``.

    Runs in the kernel before any notebook cell, so nothing a submission does can come first.
    ``check()`` raises AssertionError when a noted object was replaced, or when a function or
    class of a ``course`` module now comes from notebook code.
    """
    import os
    import sys
    import types

    try:
        from course import testing
    except ImportError:  # a kernel without this course: nothing to guard
        testing = None
    saved = testing.fingerprint() if testing else {}
    verify = testing.verify_fingerprint if testing else None

    def from_notebook(obj):
        code = getattr(obj, "__code__", None) or getattr(getattr(obj, "__func__", None),
                                                         "__code__", None)
        if code is None:
            return isinstance(obj, type) and obj.__module__ == "__main__"
        name = code.co_filename  # IPython compiles each cell to /tmp/ipykernel_<pid>/<n>.py
        return name.startswith("<ipython-input") or os.sep + "ipykernel_" in name

    def replaced():
        found = []
        for module_name, module in list(sys.modules.items()):
            if module_name != "course" and not module_name.startswith("course."):
                continue
            for attr, value in list(vars(module).items()):
                members = [(attr, value)]
                if isinstance(value, type) and value.__module__ == module_name:
                    members += [(f"{attr}.{k}", v) for k, v in list(vars(value).items())]
                found += [f"{module_name}.{n}" for n, v in members if from_notebook(v)]
        return found

    def check():
        if verify is not None:
            verify(saved)
        found = replaced()
        if found:
            raise AssertionError(
                f"the grading helpers were modified: {', '.join(found[:5])} now come"
                f"{'s' if len(found) == 1 else ''} from code in the notebook.\nHint: restart "
                "the kernel and run all cells, and do not reassign functions of time, "
                "threading or course in your code.")

    sys.modules[name] = types.SimpleNamespace(check=check)


def seal_source(name: str) -> str:
    """Code that installs the seal under *name* in a kernel, leaving its namespace as it was."""
    return (inspect.getsource(_kernel_seal)
            + f"\n_kernel_seal({name!r})\ndel _kernel_seal\n")




def check_source(name: str) -> str:
    """Code that runs the seal's check in the kernel (raises AssertionError when broken)."""
    return f"__import__('sys').modules[{name!r}].check()"
