"""Joins each thread before starting the next: two threads, but never running together."""
LOSES = 1  # threads_ran_together

# %% grade_id: print_numbers_and_letters
def print_numbers_and_letters():
    """Print 1..10 in one new thread and a..j in another, running together; join both."""
    def print_numbers():
        for number in range(1, 11):
            print(number)

    def print_letters():
        for letter in "abcdefghij":
            print(letter)

    for target in (print_numbers, print_letters):
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
