"""Starts one new thread that prints the numbers and then the letters: one thread, not two."""
LOSES = 3  # printed_by_two_new_threads, sequences_complete_in_order, threads_ran_together

# %% grade_id: print_numbers_and_letters
def print_numbers_and_letters():
    """Print 1..10 in one new thread and a..j in another, running together; join both."""
    def print_both():
        for number in range(1, 11):
            print(number)
        for letter in "abcdefghij":
            print(letter)

    thread = threading.Thread(target=print_both)
    thread.start()
    thread.join()
