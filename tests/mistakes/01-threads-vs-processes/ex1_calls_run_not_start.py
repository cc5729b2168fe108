"""Calls run() instead of start(): both sequences print in the calling thread, one after the other."""
LOSES = 3  # printed_by_two_new_threads, sequences_complete_in_order, threads_ran_together

# %% grade_id: print_numbers_and_letters
def print_numbers_and_letters():
    """Print 1..10 in one new thread and a..j in another, running together; join both."""
    def print_numbers():
        for number in range(1, 11):
            print(number)

    def print_letters():
        for letter in "abcdefghij":
            print(letter)

    numbers = threading.Thread(target=print_numbers)
    letters = threading.Thread(target=print_letters)
    numbers.run()
    letters.run()
