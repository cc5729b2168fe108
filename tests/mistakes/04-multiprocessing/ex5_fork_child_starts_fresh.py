"""Thinks a fork child imports mp_work afresh, like spawn: (a) and (b) lose the kernel's note."""
LOSES = 1  # predictions_pool_worker

# %% grade_id: predictions
def predictions():
    """Return what lines (a) to (e) print: lists of strings for "a" to "d", a bool for "e"."""
    return {
        "a": ["imported", "first"],
        "b": ["imported", "first", "second"],
        "c": ["imported", "kernel", "thread"],
        "d": ["imported", "server"],
        "e": False,
    }
