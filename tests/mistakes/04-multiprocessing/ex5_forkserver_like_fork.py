"""Thinks a forkserver child is a fork of the kernel: (d) holds the kernel's notes."""
LOSES = 1  # predictions_kernel_and_forkserver

# %% grade_id: predictions
def predictions():
    """Return what lines (a) to (e) print: lists of strings for "a" to "d", a bool for "e"."""
    return {
        "a": ["imported", "kernel", "first"],
        "b": ["imported", "kernel", "first", "second"],
        "c": ["imported", "kernel", "thread"],
        "d": ["imported", "kernel", "thread", "server"],
        "e": False,
    }
