"""Correct: type hints, and one helper printing any iterable, given to both threads."""
LOSES = 0

# %% grade_id: print_numbers_and_letters
from typing import Iterable


def print_each(values: Iterable[object]) -> None:
    for value in values:
        print(value)


def print_numbers_and_letters() -> None:
    """Print 1..10 in one new thread and a..j in another, running together; join both."""
    threads: list[threading.Thread] = [
        threading.Thread(target=print_each, args=(range(1, 11),)),
        threading.Thread(target=print_each, args=("abcdefghij",)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
