"""Starts and joins each thread inside the loop: threads, but one fetch at a time."""
LOSES = 2  # fetches_wait_together

# %% grade_id: fetch_all
def fetch_all(pages, fetch=lesson.fetch_page):
    """Fetch every page with all fetches in progress at once; return {page: content}."""
    contents = {}

    def fetch_one(page):
        contents[page] = fetch(page)

    for page in pages:
        thread = threading.Thread(target=fetch_one, args=(page,))
        thread.start()
        thread.join()
    return contents
