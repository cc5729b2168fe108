"""Delegates to the library: lesson.printed_orders runs the printers in threads, and the caller prints what they printed."""
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

    order = lesson.printed_orders([(print_numbers, ()), (print_letters, ())], runs=1)[0]
    for item in order.split():
        print(item)
