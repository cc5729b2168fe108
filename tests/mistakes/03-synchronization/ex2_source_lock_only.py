"""Locks only the source: a deposit into the target races with another thread's withdrawal from it."""
LOSES = 3  # transfers_both_ways_finish, transfers_ring_and_errors

# %% grade_id: transfer
def transfer(source, target, amount):
    """Move amount from source to target, safely while other threads transfer too."""
    if amount <= 0:
        raise ValueError(f"amount must be > 0 (got {amount})")
    if source is target:
        raise ValueError("source and target must be different accounts")
    with source.lock:
        if source.balance < amount:
            raise ValueError(f"balance {source.balance} is smaller than amount {amount}")
        source.withdraw(amount)
        target.deposit(amount)
