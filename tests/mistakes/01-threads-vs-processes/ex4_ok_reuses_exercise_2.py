"""Correct: reuses the student's own run_each_in_thread from exercise 2, and prints a summary."""
LOSES = 0

# %% grade_id: fetch_all
def fetch_all(pages, fetch=lesson.fetch_page):
    """Fetch every page with all fetches in progress at once; return {page: content}."""
    contents = dict(zip(pages, run_each_in_thread(fetch, pages)))
    print(f"fetched {len(contents)} page(s)")
    return contents
