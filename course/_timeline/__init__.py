"""The pieces behind :mod:`course.timeline`, one concern each; import them from there.

- ``kinds``: the raw kinds a worker records and the segment kinds a timeline shows.
- ``recorder``: :class:`Lane` and :class:`Recorder`, what code being measured calls.
- ``clocks``: reading a clock pair and aligning another process's spans onto this clock.
- ``segments``: classifying raw spans into merged :class:`Segment` s, and sweeping them into
  "how many at once" step functions.
- ``model``: :class:`Timeline` (lanes plus their window) and the :class:`Metrics` it computes.
"""
