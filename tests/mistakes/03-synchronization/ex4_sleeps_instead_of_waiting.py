"""Sleeps with time.sleep(interval) between calls: deaf to the event, it stops only when the sleep runs out."""
LOSES = 2  # repeat_until_stops_promptly, repeat_until_edge_cases (each costs its 5 s bound)

# %% grade_id: repeat_until
def repeat_until(stop, action, interval):
    """Call action() now and every interval seconds until stop is set; return the call count."""
    if interval <= 0:
        raise ValueError(f"interval must be > 0 seconds (got {interval})")
    calls = 0
    while not stop.is_set():
        action()
        calls += 1
        time.sleep(interval)
    return calls
