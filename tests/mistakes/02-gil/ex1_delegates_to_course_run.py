"""Delegates to the library: times course.run's own CPU-bound threads instead of running fn."""
LOSES = 4  # fn is never called, so no test sees its calls meet

# %% grade_id: time_threads
def time_threads(fn, n):
    """Run fn() in n threads at once; return (wall seconds, CPU seconds) of the whole run."""
    metrics = course.run("cpu", n, "threads", size_ms=20).metrics
    return metrics.wall_s, metrics.cpu_s
