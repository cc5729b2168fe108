"""Correct: uses what stop.wait(interval) returns to leave the loop."""
LOSES = 0

# %% grade_id: repeat_until
def repeat_until(stop, action, interval):
    """Call action() now and every interval seconds until stop is set; return the call count."""
    if interval <= 0:
        raise ValueError(f"interval must be > 0 seconds (got {interval})")
    if stop.is_set():
        return 0
    calls = 0
    while True:
        action()
        calls += 1
        if stop.wait(interval):  # True: stop was set while waiting
            return calls
