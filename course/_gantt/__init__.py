"""The pieces behind :mod:`course.gantt`, one concern each; import them from there.

- ``style``: colours, hatches and legend words per segment kind, bar and row sizes, and
  ``add_legend`` (the one legend of segment kinds).
- ``checks``: the checks charts make at the door (a non-empty Timeline, valid options).
- ``finding``: the sentence a chart's title carries (``describe``, ``busy_note``).
- ``zoom``: choosing the zoomed window of a run (``zoom_window``).
- ``lanes``: the one lane renderer: lanes as bars, and the "lanes at once" profile.
- ``figures``: whole figures (``plot_gantt``, ``plot_lanes``, ``plot_profile``,
  ``plot_side_by_side``).
- ``bars``: labelled bar charts (``plot_bars``).
- ``display``: showing a bare Figure in Jupyter without pyplot.
"""
