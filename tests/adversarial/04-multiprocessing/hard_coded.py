"""Hard-codes answers of the right form: predictions passes the visible checks of their shape,
and every hidden check of their values fails."""
LOSES = 3  # predictions_pool_worker, predictions_kernel_and_forkserver, predictions_pickled_identity

# %% grade_id: predictions
def predictions():
    """Return what lines (a) to (e) print: lists of strings for "a" to "d", a bool for "e"."""
    return {"a": ["imported"], "b": ["imported"], "c": ["imported"], "d": ["imported"],
            "e": True}
