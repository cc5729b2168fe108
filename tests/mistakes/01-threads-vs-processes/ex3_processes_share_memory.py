"""Believes a child process shares the parent's memory, as threads do."""
LOSES = 2  # prediction_c, prediction_d

# %% grade_id: predictions
def predictions():
    """Return what lines (a) to (d) print, as lists of strings, keyed "a" to "d"."""
    return {
        "a": ["main", "thread"],
        "b": ["main", "thread", "child"],
        "c": ["main", "thread", "child"],
        "d": ["main", "thread", "child", "spawned"],
    }
