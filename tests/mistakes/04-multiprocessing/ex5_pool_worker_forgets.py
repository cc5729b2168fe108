"""Thinks each task of a pool gets a fresh worker: (b) loses the first note."""
LOSES = 1  # predictions_pool_worker

# %% grade_id: predictions
def predictions():
    """Return what lines (a) to (e) print: lists of strings for "a" to "d", a bool for "e"."""
    return {
        "a": ["imported", "kernel", "first"],
        "b": ["imported", "kernel", "second"],
        "c": ["imported", "kernel", "thread"],
        "d": ["imported", "server"],
        "e": False,
    }
