"""Starts the threads but returns without joining: the dict is empty, no fetch has finished."""
LOSES = 3  # fetch_all_returns_every_page, fetches_wait_together

# %% grade_id: fetch_all
def fetch_all(pages, fetch=lesson.fetch_page):
    """Fetch every page with all fetches in progress at once; return {page: content}."""
    contents = {}

    def fetch_one(page):
        contents[page] = fetch(page)

    for page in pages:
        threading.Thread(target=fetch_one, args=(page,)).start()
    return contents
