"""Correct: a Thread subclass keeping its result, one new object per run."""
LOSES = 0

# %% grade_id: run_twice
class Run(threading.Thread):
    def __init__(self, job):
        super().__init__()
        self.job = job
        self.result = None

    def run(self):
        self.result = self.job()


def run_twice(job):
    """Run job() in a new thread, then again in another new thread; return both results."""
    results = []
    for _ in range(2):
        run = Run(job)
        run.start()
        run.join()
        results.append(run.result)
    return results
