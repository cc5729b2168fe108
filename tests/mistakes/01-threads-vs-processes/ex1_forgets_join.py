"""Forgets join: the function returns while both threads are still printing."""
LOSES = 1  # threads_joined_before_return

# %% grade_id: print_numbers_and_letters
def print_numbers_and_letters():
    """Print 1..10 in one new thread and a..j in another, running together; join both."""
    def print_numbers():
        for number in range(1, 11):
            print(number)

    def print_letters():
        for letter in "abcdefghij":
            print(letter)

    threading.Thread(target=print_numbers).start()
    threading.Thread(target=print_letters).start()
