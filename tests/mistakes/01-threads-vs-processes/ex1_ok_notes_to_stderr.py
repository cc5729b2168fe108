"""Correct: notes on standard error (print to sys.stderr, logging) while the threads print the values."""
LOSES = 0

# %% grade_id: print_numbers_and_letters
import logging
import sys


def print_numbers_and_letters():
    """Print 1..10 in one new thread and a..j in another, running together; join both."""
    def print_numbers():
        logging.warning("numbers thread started")
        for number in range(1, 11):
            print(number)

    def print_letters():
        for letter in "abcdefghij":
            print(letter)

    threads = [threading.Thread(target=print_numbers), threading.Thread(target=print_letters)]
    print("starting", len(threads), "threads", file=sys.stderr)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("both threads joined", file=sys.stderr)
