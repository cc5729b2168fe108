"""Correct: an RLock made in __init__, taken again by a locked helper the methods share."""
LOSES = 0

# %% grade_id: safe_account
class SafeAccount(lesson.Account):
    """A bank account whose deposit and withdraw may be called from many threads at once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock = threading.RLock()  # re-entrant: _change may run inside withdraw's lock

    def _change(self, delta):
        with self.lock:
            self.write(self.read() + delta)

    def deposit(self, amount):
        """Add amount (> 0) to the balance; raise ValueError if amount <= 0."""
        if amount <= 0:
            raise ValueError(f"amount must be > 0 (got {amount})")
        self._change(amount)

    def withdraw(self, amount):
        """Take amount (> 0) from the balance; raise ValueError if amount <= 0 or the balance
        is smaller than amount, changing nothing."""
        if amount <= 0:
            raise ValueError(f"amount must be > 0 (got {amount})")
        with self.lock:
            if self.read() < amount:
                raise ValueError(f"balance {self.balance} is smaller than amount {amount}")
            self._change(-amount)
