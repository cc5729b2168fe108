"""Forgets to await asyncio.to_thread: returns coroutines, and no load ever runs."""
LOSES = 3  # every test

# %% grade_id: load_all
async def load_all(names, load):
    """Call the blocking load(name) for each name in worker threads; return the texts in order."""
    return [asyncio.to_thread(load, name) for name in names]
