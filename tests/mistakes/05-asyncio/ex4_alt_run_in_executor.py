"""Correct alternative: loop.run_in_executor(None, load, name), awaited one after another."""
LOSES = 0

# %% grade_id: load_all
async def load_all(names, load):
    """Call the blocking load(name) for each name in worker threads; return the texts in order."""
    loop = asyncio.get_running_loop()
    return [await loop.run_in_executor(None, load, name) for name in names]
