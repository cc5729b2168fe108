"""Checks the balance before taking the locks: 8 transfers at once from an account holding enough for one all pass the check and overdraw it."""
LOSES = 1  # transfers_never_overdraw

# %% grade_id: transfer
def transfer(source, target, amount):
    """Move amount from source to target, safely while other threads transfer too."""
    if amount <= 0:
        raise ValueError(f"amount must be > 0 (got {amount})")
    if source is target:
        raise ValueError("source and target must be different accounts")
    if source.balance < amount:
        raise ValueError(f"balance {source.balance} is smaller than amount {amount}")
    first, second = sorted([source, target], key=lambda account: account.name)
    with first.lock:
        with second.lock:
            source.withdraw(amount)
            target.deposit(amount)
