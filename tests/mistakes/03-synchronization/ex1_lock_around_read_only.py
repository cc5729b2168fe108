"""Locks the read but writes after releasing the lock: two threads still write back the same old balance."""
LOSES = 3  # safe_account_counts_deposits, safe_account_withdraws_safely

# %% grade_id: safe_account
class SafeAccount(lesson.Account):
    """A bank account whose deposit and withdraw may be called from many threads at once."""

    def deposit(self, amount):
        """Add amount (> 0) to the balance; raise ValueError if amount <= 0."""
        if amount <= 0:
            raise ValueError(f"amount must be > 0 (got {amount})")
        with self.lock:
            balance = self.read()
        self.write(balance + amount)

    def withdraw(self, amount):
        """Take amount (> 0) from the balance; raise ValueError if amount <= 0 or the balance
        is smaller than amount, changing nothing."""
        if amount <= 0:
            raise ValueError(f"amount must be > 0 (got {amount})")
        with self.lock:
            balance = self.read()
        if balance < amount:
            raise ValueError(f"balance {balance} is smaller than amount {amount}")
        self.write(balance - amount)
