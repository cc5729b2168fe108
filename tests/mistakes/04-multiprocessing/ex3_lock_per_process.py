"""Gives every process a Lock of its own, which protects nothing. Under spawn it is worse: start()
drops the parent's last reference to the lock, so its semaphore is gone before the child opens it
and the child dies."""
LOSES = 2  # shared_total_exact, shared_total_in_processes

# %% grade_id: shared_total
def shared_total(workers=2, times=200, context=None, add=mp_work.add_to):
    """Let `workers` processes each add 1 to one shared Value `times` times; return its value."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1 (got {workers})")
    if times < 0:
        raise ValueError(f"times must be >= 0 (got {times})")
    ctx = context if context is not None else multiprocessing.get_context()
    counter = ctx.Value("i", 0)
    processes = [ctx.Process(target=add, args=(counter, times, ctx.Lock()))
                 for _ in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    return counter.value
