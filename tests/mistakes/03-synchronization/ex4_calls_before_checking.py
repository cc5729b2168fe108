"""Calls action() before looking at stop: an event that is already set still gets one call."""
LOSES = 1  # repeat_until_edge_cases

# %% grade_id: repeat_until
def repeat_until(stop, action, interval):
    """Call action() now and every interval seconds until stop is set; return the call count."""
    if interval <= 0:
        raise ValueError(f"interval must be > 0 seconds (got {interval})")
    calls = 0
    while True:
        action()
        calls += 1
        if stop.wait(interval):
            return calls
