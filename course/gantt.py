"""Gantt charts of timelines: who ran when, with the finding and its numbers in the title.

``plot_gantt(timeline)`` draws one lane per thread or process, coloured by what it was doing
(running, ready but not running, waiting, starting up), a zoom of a few switch intervals next
to the whole run, and under the lanes how many lanes ran at once against the number of cores.
``describe(timeline)`` gives the title's finding as text, e.g. "4 threads took turns: at most 1
running at a time, CPU/wall 0.99". ``plot_side_by_side`` stacks several runs on one time axis
with one legend (a blocking call and its fix, threads and processes). ``plot_bars`` draws the
small comparisons lessons make (start-up costs, speedups). ``add_legend`` puts the one legend of
segment kinds under any figure that draws lanes.

Figures are built with the object-oriented API (``matplotlib.figure.Figure``), never through
pyplot: nothing stays alive after the caller drops a figure, and no display is needed.
``import course`` does not load this module, so matplotlib loads with the first chart.

Built from small modules in ``course/_gantt/`` (style, checks, finding, zoom, lanes, figures,
bars, display); this module is where every name is imported from.
"""

from __future__ import annotations

from ._gantt.bars import plot_bars
from ._gantt.display import _enable_notebook_display
from ._gantt.figures import plot_gantt, plot_lanes, plot_profile, plot_side_by_side
from ._gantt.finding import busy_note, describe
from ._gantt.style import COLOURS, LEGEND, add_legend
from ._gantt.zoom import zoom_window

# Shared with other charts of the course (lessons, the grading run chart).
from ._gantt.finding import BUSY_CPU as BUSY_CPU
from ._gantt.finding import BUSY_SHARE as BUSY_SHARE
from ._gantt.finding import PARALLEL_SHARE as PARALLEL_SHARE
from ._gantt.style import BAR_COLOURS as BAR_COLOURS
from ._gantt.style import BAR_HEIGHT as BAR_HEIGHT
from ._gantt.style import HATCHES as HATCHES
from ._gantt.style import MAX_LANE_ROWS as MAX_LANE_ROWS
from ._gantt.zoom import ZOOM_INTERVALS as ZOOM_INTERVALS
from ._gantt.zoom import ZOOM_MIN_RATIO as ZOOM_MIN_RATIO

__all__ = ["COLOURS", "LEGEND", "add_legend", "plot_gantt", "plot_lanes", "plot_profile",
           "plot_side_by_side", "plot_bars", "describe", "busy_note", "zoom_window"]

_enable_notebook_display()
