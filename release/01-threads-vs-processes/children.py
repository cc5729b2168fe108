"""What lesson 1's child processes run: plain Python, in a file of its own.

Some ways of starting a child process ("spawn" and "forkserver", lesson 4) find the function
the child must run by importing the module it was defined in. A notebook is not a module a
new process can import, so these functions live here, next to the notebook.
"""

import os


def append_and_send(items, item, answers):
    """Append *item* to *items* (this process's copy of the list) and send back what it holds.

    Puts ``(this process's id, the list)`` on *answers*, a ``multiprocessing.Queue``.
    """
    items.append(item)
    answers.put((os.getpid(), items))


def do_nothing():
    """The job whose start-up the lesson times: nothing at all."""


def count_down(n):
    """Count down from *n* to 0: pure-Python work that keeps one core busy."""
    while n > 0:
        n -= 1
