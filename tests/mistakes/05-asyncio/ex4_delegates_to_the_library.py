"""Delegates to the lesson's run_in_thread helper: the loads leave the loop, but the loop waits."""
LOSES = 3  # every test: run_in_thread blocks the caller, so the heartbeat still stands still

# %% grade_id: load_all
async def load_all(names, load):
    """Call the blocking load(name) for each name in worker threads; return the texts in order."""
    async def read_all():
        return [load(name) for name in names]

    return lesson.run_in_thread(read_all)  # another loop, in another thread: this one blocks
