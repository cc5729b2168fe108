"""Thinks the fork worker's notes come back to the kernel: (c) holds them."""
LOSES = 1  # predictions_kernel_and_forkserver

# %% grade_id: predictions
def predictions():
    """Return what lines (a) to (e) print: lists of strings for "a" to "d", a bool for "e"."""
    return {
        "a": ["imported", "kernel", "first"],
        "b": ["imported", "kernel", "first", "second"],
        "c": ["imported", "kernel", "first", "second", "thread"],
        "d": ["imported", "server"],
        "e": False,
    }
