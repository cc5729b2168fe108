"""Checks the balance before taking the lock: every thread sees enough money for the last coin, and they overdraw."""
LOSES = 2  # safe_account_withdraws_safely (the one-coin probe, on contended locks)

# %% grade_id: safe_account
class SafeAccount(lesson.Account):
    """A bank account whose deposit and withdraw may be called from many threads at once."""

    def deposit(self, amount):
        """Add amount (> 0) to the balance; raise ValueError if amount <= 0."""
        if amount <= 0:
            raise ValueError(f"amount must be > 0 (got {amount})")
        with self.lock:
            self.write(self.read() + amount)

    def withdraw(self, amount):
        """Take amount (> 0) from the balance; raise ValueError if amount <= 0 or the balance
        is smaller than amount, changing nothing."""
        if amount <= 0:
            raise ValueError(f"amount must be > 0 (got {amount})")
        if self.read() < amount:
            raise ValueError(f"balance {self.balance} is smaller than amount {amount}")
        with self.lock:
            self.write(self.read() - amount)
