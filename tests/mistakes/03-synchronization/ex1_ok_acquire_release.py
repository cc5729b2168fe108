"""Correct: acquire() and release() written out, the release in finally."""
LOSES = 0

# %% grade_id: safe_account
class SafeAccount(lesson.Account):
    """A bank account whose deposit and withdraw may be called from many threads at once."""

    def deposit(self, amount):
        """Add amount (> 0) to the balance; raise ValueError if amount <= 0."""
        if amount <= 0:
            raise ValueError(f"amount must be > 0 (got {amount})")
        self.lock.acquire()
        try:
            self.write(self.read() + amount)
        finally:
            self.lock.release()

    def withdraw(self, amount):
        """Take amount (> 0) from the balance; raise ValueError if amount <= 0 or the balance
        is smaller than amount, changing nothing."""
        if amount <= 0:
            raise ValueError(f"amount must be > 0 (got {amount})")
        self.lock.acquire()
        try:
            balance = self.read()
            if balance < amount:
                raise ValueError(f"balance {balance} is smaller than amount {amount}")
            self.write(balance - amount)
        finally:
            self.lock.release()
