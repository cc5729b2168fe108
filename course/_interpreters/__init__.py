"""The pieces behind :mod:`course.interpreters`, one concern each; import them from there.

- ``builds``: :class:`Interpreter`, the running Python, and a build described in words.
- ``probing``: asking one Python what it is (``probe``), cached per process.
- ``search``: where Pythons are looked for (``find_interpreters``, ``find_counterpart``).
- ``running``: running an experiment under another Python (``run_elsewhere``, ``time_cpu_work``).
- ``child``: the other Python's side of ``running``, which prints its answer as JSON.
- ``plumbing``: the subprocess itself: environment, time-out, killing, reading the answer.
"""
