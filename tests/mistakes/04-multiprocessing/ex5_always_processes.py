"""Always answers processes: more cores must be faster, whatever the work waits for or costs."""
LOSES = 2  # choose_well_formed, choose_costs

# %% grade_id: choose
def choose(workload):
    """Return "threads", "processes" or "neither": the best way to run the named workload."""
    return "processes"
