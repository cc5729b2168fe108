"""Correct: answers built step by step, with type hints and a note on stderr."""
LOSES = 0

# %% grade_id: predictions
import sys


def predictions() -> dict:
    """Return what lines (a) to (e) print: lists of strings for "a" to "d", a bool for "e"."""
    kernel = ["imported", "kernel"]
    worker = kernel + ["first"]
    answer = {"a": list(worker)}
    worker.append("second")
    answer["b"] = worker
    answer["c"] = kernel + ["thread"]
    answer["d"] = ["imported", "server"]
    answer["e"] = False
    print("predicted", sorted(answer), file=sys.stderr)
    return answer
