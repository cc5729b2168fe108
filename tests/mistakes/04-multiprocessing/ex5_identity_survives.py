"""Thinks an argument sent to a fork worker arrives as the same object: (e) True."""
LOSES = 1  # predictions_pickled_identity

# %% grade_id: predictions
def predictions():
    """Return what lines (a) to (e) print: lists of strings for "a" to "d", a bool for "e"."""
    return {
        "a": ["imported", "kernel", "first"],
        "b": ["imported", "kernel", "first", "second"],
        "c": ["imported", "kernel", "thread"],
        "d": ["imported", "server"],
        "e": True,
    }
