"""Tests for course.lessons.threads.pages: exercise 4's pretend download."""

from course.lessons.threads import pages


def test_fetch_page_returns_the_pages_content():
    """fetch_page gives the made-up content of the page it was asked for."""
    assert pages.fetch_page("home") == "<html>home</html>"
    assert pages.FETCH_SECONDS > 0
