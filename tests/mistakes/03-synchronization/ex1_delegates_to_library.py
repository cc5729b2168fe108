"""Relies on lesson.Account's own deposit and withdraw, which take no lock and check nothing."""
LOSES = 3  # safe_account_counts_deposits, safe_account_withdraws_safely

# %% grade_id: safe_account
class SafeAccount(lesson.Account):
    """A bank account whose deposit and withdraw may be called from many threads at once."""
