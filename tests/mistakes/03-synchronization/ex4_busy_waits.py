"""Spins on stop.is_set() until the next call is due: it stops on time but checks the event thousands of times."""
LOSES = 2  # repeat_until_stops_promptly, repeat_until_edge_cases

# %% grade_id: repeat_until
def repeat_until(stop, action, interval):
    """Call action() now and every interval seconds until stop is set; return the call count."""
    if interval <= 0:
        raise ValueError(f"interval must be > 0 seconds (got {interval})")
    calls = 0
    next_call = time.monotonic()
    while not stop.is_set():
        if time.monotonic() >= next_call:
            action()
            calls += 1
            next_call += interval
    return calls
