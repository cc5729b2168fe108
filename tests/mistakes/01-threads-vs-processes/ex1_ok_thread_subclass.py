"""Correct: a Thread subclass whose run() prints the values it was given."""
LOSES = 0

# %% grade_id: print_numbers_and_letters
class Printer(threading.Thread):
    def __init__(self, values):
        super().__init__()
        self.values = values

    def run(self):
        for value in self.values:
            print(value)


def print_numbers_and_letters():
    """Print 1..10 in one new thread and a..j in another, running together; join both."""
    printers = [Printer(range(1, 11)), Printer("abcdefghij")]
    for printer in printers:
        printer.start()
    for printer in printers:
        printer.join()
