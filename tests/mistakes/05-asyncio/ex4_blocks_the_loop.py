"""Calls the blocking load straight from the coroutine: the loop's thread blocks, every task stalls."""
LOSES = 3  # load_all_keeps_loop_running, load_all_edge_cases: the heartbeat never ticks

# %% grade_id: load_all
async def load_all(names, load):
    """Call the blocking load(name) for each name in worker threads; return the texts in order."""
    texts = []
    for name in names:
        texts.append(load(name))  # runs on the event loop's thread
        await asyncio.sleep(0)    # a yield between loads does not help during one
    return texts
