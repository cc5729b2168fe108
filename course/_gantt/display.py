"""Showing a bare matplotlib Figure in Jupyter although pyplot never loaded."""

from __future__ import annotations

import sys

from matplotlib.figure import Figure


def _enable_notebook_display() -> None:
    """Let a bare Figure show as an image in Jupyter although pyplot was never imported.

    matplotlib's inline backend registers its image formatter only when pyplot loads, and
    these charts never load pyplot; without this a notebook would print "<Figure size ...>".
    """
    if "IPython" not in sys.modules:
        return
    from IPython import get_ipython
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    png = shell.display_formatter.formatters["image/png"]
    try:
        png.lookup_by_type(Figure)  # already set up (inline backend or an earlier import)
    except KeyError:
        from IPython.core.pylabtools import print_figure
        png.for_type(Figure, lambda fig: print_figure(fig, "png", bbox_inches="tight"))
