"""Correct: type hints, and a line printed for every refused withdrawal."""
LOSES = 0

# %% grade_id: safe_account
class SafeAccount(lesson.Account):
    """A bank account whose deposit and withdraw may be called from many threads at once."""

    def deposit(self, amount: int) -> None:
        """Add amount (> 0) to the balance; raise ValueError if amount <= 0."""
        if amount <= 0:
            raise ValueError(f"amount must be > 0 (got {amount})")
        with self.lock:
            self.write(self.read() + amount)

    def withdraw(self, amount: int) -> None:
        """Take amount (> 0) from the balance; raise ValueError if amount <= 0 or the balance
        is smaller than amount, changing nothing."""
        if amount <= 0:
            raise ValueError(f"amount must be > 0 (got {amount})")
        with self.lock:
            balance: int = self.read()
            if balance < amount:
                print(f"refused: {amount} from {self.name}, which holds {balance}")
                raise ValueError(f"balance {balance} is smaller than amount {amount}")
            self.write(balance - amount)
