"""Drive a notebook in JupyterLab: open, run every cell, read errors, move sliders."""

from __future__ import annotations

import time

IDLE_TEXT = "| Idle"
RUN_TIMEOUT_S = 120

# JupyterLab's own model, read through the app object the server exposes to the page.
_ERRORS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.model.cells;
  const found = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    for (let j = 0; j < cell.outputs.length; j++) {
      const out = cell.outputs.get(j).toJSON();
      if (out.output_type === 'error') found.push([i, out.ename, out.evalue]);
    }
  }
  return found;
}"""
_UNRUN_JS = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  const unrun = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type === 'code' && cell.sharedModel.getSource().trim()
        && cell.executionCount === null) unrun.push(i);
  }
  return unrun;
}"""


def open_notebook(page, lab, path: str) -> None:
    """Open *path* in JupyterLab and wait until its kernel is idle."""
    page.goto(lab.lab_url(path))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", state="attached", timeout=60_000)
    _accept_kernel_dialog(page)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.context", timeout=60_000)
    wait_idle(page)


def _accept_kernel_dialog(page) -> None:
    """A notebook without kernel metadata asks which kernel to start: take the default."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:
        dialog.wait_for(timeout=3000)
    except Exception:
        return
    dialog.get_by_role("button", name="Select").click()


def wait_idle(page, timeout_s: float = RUN_TIMEOUT_S) -> None:
    """Wait until the status bar says the kernel is idle (the toolbar says so too early)."""
    page.wait_for_function(
        """() => {
          const panel = window.jupyterapp.shell.currentWidget;
          const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
          return kernel && kernel.status === 'idle' && !panel.content.widgets.some(
            c => c.model.type === 'code' && c.promptNode && c.promptNode.textContent.includes('*'));
        }""", timeout=timeout_s * 1000)
    page.get_by_text(IDLE_TEXT).first.wait_for(timeout=timeout_s * 1000)


# JupyterLab asks the kernel to stop at an error, unless the cell is tagged raises-exception:
# tag every code cell in the open model (never saved to the course) so one Run All runs them all.
_CARRY_ON_JS = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    const tags = cell.getMetadata('tags') || [];
    if (cell.type === 'code' && !tags.includes('raises-exception')) {
      cell.setMetadata('tags', [...tags, 'raises-exception']);
    }
  }
}"""


def run_all(page, timeout_s: float = RUN_TIMEOUT_S) -> list[list]:
    """Run every cell, carrying on past errors (Run All stops at the first); returns the errors."""
    page.evaluate(_CARRY_ON_JS)
    page.evaluate("() => { window.jupyterapp.commands.execute('runmenu:run-all'); }")
    deadline = time.monotonic() + timeout_s
    while True:
        wait_idle(page, max(1.0, deadline - time.monotonic()))
        unrun = page.evaluate(_UNRUN_JS)
        if not unrun or time.monotonic() > deadline:
            break
        page.evaluate("""(i) => {
          const panel = window.jupyterapp.shell.currentWidget;
          panel.content.activeCellIndex = i;
          return window.jupyterapp.commands.execute('notebook:run-all-below');
        }""", unrun[0])
        time.sleep(0.5)
    return page.evaluate(_ERRORS_JS)


def unrun_cells(page) -> list[int]:
    """Indexes of code cells that have not run."""
    return page.evaluate(_UNRUN_JS)


def output_image(widget) -> str:
    """The src of the (last) image inside a widget's output area, or '' when none."""
    images = widget.locator(".widget-output img")
    return images.last.get_attribute("src") if images.count() else ""
