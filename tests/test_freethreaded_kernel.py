"""Every lesson runs clean on the free-threaded kernel, and that kernel is what it claims.

`make freethreaded` builds CPython 3.13 with ``--disable-gil`` and registers it as the kernel
``python3-freethreaded`` (docs/free-threaded.md). This module runs each source notebook top to
bottom on that kernel (nbclient; any error fails) and checks the kernel really ran without a GIL.
Grading every lesson's catalogue on it is tests/test_pipeline.py's job, parametrized over both
kernels (``FREETHREADED_MISTAKES`` narrows which catalogues, see tests/assignments.py).

When the kernel is missing, the tests skip with the reason; under CI (``CI=true``) they fail,
since CI must prove both kernels.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from assignments import FREE_THREADED as KERNEL
from assignments import LESSONS
from grading.harness import REPO, make_course

CELL_TIMEOUT = 120  # seconds per lesson cell: generous for a loaded machine, still bounded
# A last cell appended to each source notebook run: what the kernel says about itself.
PROBE = ("import sys, sysconfig\n"
         "print('BUILD', bool(sysconfig.get_config_var('Py_GIL_DISABLED')), "
         "getattr(sys, '_is_gil_enabled', lambda: True)(), sys.version.split()[0])")

by_name = pytest.mark.parametrize("case", LESSONS, ids=lambda case: case.name)
pytestmark = [pytest.mark.pipeline, pytest.mark.timeout(1800)]


class TestKernel:
    def test_kernel_is_free_threaded(self, free_threaded_python):
        """The registered kernel's Python is a free-threaded build that can import the course."""
        assert free_threaded_python.has_course, (
            f"{free_threaded_python.path} cannot import the course: "
            f"{free_threaded_python.course_error}; run `make freethreaded`")


# --- the source notebooks, top to bottom ------------------------------------------------------
@pytest.fixture(scope="module")
def source_copy(tmp_path_factory) -> Path:
    """A scratch copy of source/, so lessons that write files leave the repository alone."""
    return make_course(tmp_path_factory.mktemp("ft-source") / "course", REPO / "source")


class TestSourceOnFreeThreadedKernel:
    @by_name
    def test_source_runs_without_errors(self, case, free_threaded_python, source_copy, timings):
        """Every cell (solutions included) runs without an error on a kernel without a GIL."""
        folder = source_copy / "source" / case.name
        for path in sorted(folder.glob("*.ipynb")):
            started = time.perf_counter()
            probe = _execute(path, folder)
            timings.append((f"{case.name}/{path.name} on {KERNEL}", time.perf_counter() - started))
            assert probe.startswith("BUILD True False"), (
                f"{case.name}/{path.name} ran on a kernel reporting {probe!r} "
                "(free-threaded build, GIL enabled, version), not a free-threaded one")


def _execute(path: Path, folder: Path) -> str:
    """Run a notebook on the kernel (no errors allowed); return what the probe cell printed."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    current = {}  # the cell running now, for the failure message
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, allow_errors=False,
                            resources={"metadata": {"path": str(folder)}},
                            on_cell_start=lambda cell, cell_index: current.update(
                                index=cell_index, source=cell.source))
    try:
        client.execute()
    except CellTimeoutError:
        pytest.fail(f"{path.name}, cell {current.get('index')}, did not finish within "
                    f"{CELL_TIMEOUT} s on {KERNEL}: hung?\n{current.get('source', '')[:500]}",
                    pytrace=False)
    except DeadKernelError:
        pytest.fail(f"{path.name}: the {KERNEL} kernel died in cell {current.get('index')}:\n"
                    f"{current.get('source', '')[:500]}", pytrace=False)
    except CellExecutionError as error:
        pytest.fail(f"{path.name}, cell {current.get('index')}, raised on {KERNEL}:\n{error}",
                    pytrace=False)
    return "".join(out.get("text", "") for out in nb.cells[-1].outputs).strip()


