"""Knows processes get a copy, but believes spawn copies the parent just like fork."""
LOSES = 1  # prediction_d

# %% grade_id: predictions
def predictions():
    """Return what lines (a) to (d) print, as lists of strings, keyed "a" to "d"."""
    return {
        "a": ["main", "thread"],
        "b": ["main", "thread", "child"],
        "c": ["main", "thread"],
        "d": ["main", "thread", "spawned"],
    }
