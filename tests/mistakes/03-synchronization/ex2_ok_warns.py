"""Correct: warns with warnings.warn and prints to stderr before refusing a transfer, with type hints."""
LOSES = 0

# %% grade_id: transfer
import sys
import warnings


def transfer(source: "lesson.Account", target: "lesson.Account", amount: int) -> None:
    """Move amount from source to target, safely while other threads transfer too."""
    if amount <= 0:
        raise ValueError(f"amount must be > 0 (got {amount})")
    if source is target:
        print("refusing a transfer to the same account", file=sys.stderr)
        raise ValueError("source and target must be different accounts")
    first, second = sorted([source, target], key=lambda account: account.name)
    with first.lock:
        with second.lock:
            if source.balance < amount:
                warnings.warn(f"{source.name} holds {source.balance}, less than {amount}")
                raise ValueError(f"balance {source.balance} is smaller than amount {amount}")
            source.withdraw(amount)
            target.deposit(amount)
