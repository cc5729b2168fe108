"""Correct: one fixed order by id(), both locks taken in one with statement."""
LOSES = 0

# %% grade_id: transfer
def transfer(source, target, amount):
    """Move amount from source to target, safely while other threads transfer too."""
    if amount <= 0:
        raise ValueError(f"amount must be > 0 (got {amount})")
    if source is target:
        raise ValueError("source and target must be different accounts")
    first, second = sorted([source, target], key=id)
    with first.lock, second.lock:
        if source.balance < amount:
            raise ValueError(f"balance {source.balance} is smaller than amount {amount}")
        source.withdraw(amount)
        target.deposit(amount)
