"""Correct alternative: a pool of its own with run_in_executor in a TaskGroup, logging to stderr."""
LOSES = 0

# %% grade_id: load_all
import logging
import sys

logging.basicConfig(stream=sys.stderr, level=logging.INFO, force=True)


async def load_all(names: list[str], load) -> list[str]:
    """Call the blocking load(name) for each name in worker threads; return the texts in order."""
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=4) as pool:
        async def load_one(name: str) -> str:
            return await loop.run_in_executor(pool, load, name)

        async with asyncio.TaskGroup() as group:  # a failing load arrives in an ExceptionGroup
            tasks = [group.create_task(load_one(name)) for name in names]
        logging.info("loaded %d files", len(tasks))
    return [task.result() for task in tasks]
