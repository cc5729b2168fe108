"""How charts look: one colour, hatch and legend text per segment kind, sizes, and the one
legend of segment kinds every chart puts under its lanes (``add_legend``)."""

from __future__ import annotations

from typing import Iterable

from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.patches import Patch

from ..timeline import READY, RUNNING, STARTUP, WAITING

# Okabe-Ito colours: told apart with every common colour-vision deficiency.
COLOURS = {RUNNING: "#0072B2", READY: "#E69F00", WAITING: "#C8C8C8", STARTUP: "#CC79A7"}
HATCHES = {STARTUP: "///"}
LEGEND = {RUNNING: "running", READY: "ready, not running (GIL or CPU)",
          WAITING: "waiting (sleep, I/O, lock)", STARTUP: "starting up"}
BAR_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
BAR_HEIGHT = 0.8
MAX_LANE_ROWS = 24  # figure height stops growing here; more lanes get thinner rows


def add_legend(fig: Figure, kinds: Iterable[str], extra: Iterable[Artist] = ()) -> Legend:
    """Put one legend under a figure: a swatch per segment kind drawn, then *extra* entries.

    Args:
        fig: the figure (made with ``layout="constrained"``, so the legend gets its own room).
        kinds: the segment kinds the figure shows, in any order and with repeats; the swatches
            come in the order of ``COLOURS``, coloured and hatched as the lanes are.
        extra: handles listed after the swatches, e.g. a profile's lines.

    Returns:
        The matplotlib Legend.
    """
    shown = set(kinds)
    handles = [Patch(facecolor=COLOURS[k], hatch=HATCHES.get(k), edgecolor="white",
                     label=LEGEND[k]) for k in COLOURS if k in shown]
    handles += list(extra)
    return fig.legend(handles=handles, loc="outside lower left", ncol=max(1, len(handles)),
                      frameon=False)
