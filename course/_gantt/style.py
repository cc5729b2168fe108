"""How charts look: one colour, hatch and legend text per segment kind, and sizes."""

from __future__ import annotations

from ..timeline import READY, RUNNING, STARTUP, WAITING

# Okabe-Ito colours: told apart with every common colour-vision deficiency.
COLOURS = {RUNNING: "#0072B2", READY: "#E69F00", WAITING: "#C8C8C8", STARTUP: "#CC79A7"}
HATCHES = {STARTUP: "///"}
LEGEND = {RUNNING: "running", READY: "ready, not running (GIL or CPU)",
          WAITING: "waiting (sleep, I/O, lock)", STARTUP: "starting up"}
BAR_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
BAR_HEIGHT = 0.8
MAX_LANE_ROWS = 24  # figure height stops growing here; more lanes get thinner rows
