"""Correct alternative: one to_thread call that loads every name, in turn, in one worker thread."""
LOSES = 0

# %% grade_id: load_all
async def load_all(names, load):
    """Call the blocking load(name) for each name in worker threads; return the texts in order."""
    def load_each():
        return [load(name) for name in names]

    return await asyncio.to_thread(load_each)
