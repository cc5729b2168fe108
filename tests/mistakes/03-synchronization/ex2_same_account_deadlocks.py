"""Never checks source is target: transfer(a, a, 1) takes a's lock twice and deadlocks on itself."""
LOSES = 1  # transfers_ring_and_errors (costs its 5 s bound)

# %% grade_id: transfer
def transfer(source, target, amount):
    """Move amount from source to target, safely while other threads transfer too."""
    if amount <= 0:
        raise ValueError(f"amount must be > 0 (got {amount})")
    first, second = sorted([source, target], key=lambda account: account.name)
    with first.lock:
        with second.lock:
            if source.balance < amount:
                raise ValueError(f"balance {source.balance} is smaller than amount {amount}")
            source.withdraw(amount)
            target.deposit(amount)
