"""Correct: a single lock shared by every transfer, so transfers take turns and cannot deadlock."""
LOSES = 0

# %% grade_id: transfer
_transfers = threading.Lock()  # guards every balance a transfer touches


def transfer(source, target, amount):
    """Move amount from source to target, safely while other threads transfer too."""
    if amount <= 0:
        raise ValueError(f"amount must be > 0 (got {amount})")
    if source is target:
        raise ValueError("source and target must be different accounts")
    with _transfers:
        if source.balance < amount:
            raise ValueError(f"balance {source.balance} is smaller than amount {amount}")
        source.withdraw(amount)
        target.deposit(amount)
