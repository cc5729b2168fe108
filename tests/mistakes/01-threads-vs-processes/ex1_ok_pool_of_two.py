"""Correct: a ThreadPoolExecutor of two workers (imported by a lesson cell), one call each; the with block joins."""
LOSES = 0

# %% grade_id: print_numbers_and_letters
def print_numbers_and_letters():
    """Print 1..10 in one new thread and a..j in another, running together; join both."""
    def show(values):
        for value in values:
            print(value)

    with ThreadPoolExecutor(max_workers=2) as pool:
        pool.submit(show, range(1, 11))
        pool.submit(show, "abcdefghij")
