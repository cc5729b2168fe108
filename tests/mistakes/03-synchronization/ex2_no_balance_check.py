"""Never checks the balance: transfers overdraw the source instead of raising ValueError."""
LOSES = 2  # transfers_never_overdraw, transfers_ring_and_errors

# %% grade_id: transfer
def transfer(source, target, amount):
    """Move amount from source to target, safely while other threads transfer too."""
    if amount <= 0:
        raise ValueError(f"amount must be > 0 (got {amount})")
    if source is target:
        raise ValueError("source and target must be different accounts")
    first, second = sorted([source, target], key=lambda account: account.name)
    with first.lock:
        with second.lock:
            source.withdraw(amount)
            target.deposit(amount)
