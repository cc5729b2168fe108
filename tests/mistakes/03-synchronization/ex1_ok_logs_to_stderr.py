"""Correct: logs every refused withdrawal to stderr with logging, and warns about amounts <= 0."""
LOSES = 0

# %% grade_id: safe_account
import logging
import warnings

log = logging.getLogger("bank")


class SafeAccount(lesson.Account):
    """A bank account whose deposit and withdraw may be called from many threads at once."""

    def deposit(self, amount):
        """Add amount (> 0) to the balance; raise ValueError if amount <= 0."""
        if amount <= 0:
            warnings.warn(f"deposit of {amount} refused")
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
            if balance < amount:
                log.warning("refused %s from %s, which holds %s", amount, self.name, balance)
                raise ValueError(f"balance {balance} is smaller than amount {amount}")
            self.write(balance - amount)
