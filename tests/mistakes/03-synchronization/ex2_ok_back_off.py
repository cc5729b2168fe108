"""Correct: takes the source's lock, tries the target's without blocking, and on failure releases everything and retries after a random pause."""
LOSES = 0

# %% grade_id: transfer
import random


def transfer(source, target, amount):
    """Move amount from source to target, safely while other threads transfer too."""
    if amount <= 0:
        raise ValueError(f"amount must be > 0 (got {amount})")
    if source is target:
        raise ValueError("source and target must be different accounts")
    while True:
        with source.lock:
            if target.lock.acquire(blocking=False):
                try:
                    if source.balance < amount:
                        raise ValueError(f"balance {source.balance} is smaller than amount {amount}")
                    source.withdraw(amount)
                    target.deposit(amount)
                    return
                finally:
                    target.lock.release()
        time.sleep(random.uniform(0, 0.001))  # holding nothing: let the other transfer finish
