"""Returns without raising when the balance is too small: nothing overdraws, but the caller never learns the withdrawal failed."""
LOSES = 2  # safe_account_withdraws_safely (withdraw(11) on a balance of 10 must raise)

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
        with self.lock:
            balance = self.read()
            if balance >= amount:
                self.write(balance - amount)
