"""Picks threads for pure-Python counting, as if threads ran Python code in parallel."""
LOSES = 1  # choose_well_formed

# %% grade_id: choose
def choose(workload):
    """Return "threads", "processes" or "neither": the best way to run the named workload."""
    answers = {"primes": "threads", "downloads": "threads", "hashing": "threads",
               "small_hashing": "processes", "tiny": "neither", "big_arrays": "threads"}
    return answers[workload]
