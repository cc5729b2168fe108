"""Fixtures for the browser tests: one JupyterLab server and one Chromium per session.

On failure a test saves a screenshot and the server log under test-artifacts/ and names them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .lab import CHROMIUM, CHROMIUM_ARGS, LabServer, copy_course

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
EXPECT_TIMEOUT_MS = 60_000  # expect()'s default of 5 s is too short on a loaded machine
# Each xdist worker runs its own server: keep their logs apart.
SERVER_LOG = ARTIFACTS / f"jupyterlab-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.call_report = report


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A JupyterLab server over a throw-away copy of the course."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` as root to install Debian's chromium, "
                    "or `apt-get install chromium`")
    workdir = tmp_path_factory.mktemp("lab")
    server = LabServer(copy_course(REPO, workdir / "course"), workdir).start()
    try:
        yield server
    finally:
        server.stop()
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy2(server.log_path, SERVER_LOG)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright, one per test module: Playwright's sync API
    keeps an asyncio loop marked running in this thread while it is open, so it is closed before
    the worker goes on to tests that start loops of their own (asyncio.run would refuse)."""
    from playwright.sync_api import expect, sync_playwright
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, lab, request):
    """A fresh page; on failure its screenshot and the server log are kept and named."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(EXPECT_TIMEOUT_MS)
    try:
        yield page
    finally:
        report = getattr(request.node, "call_report", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
            shot = ARTIFACTS / f"{name}.png"
            try:
                page.screenshot(path=str(shot), full_page=False)
            except Exception as error:  # the page may be gone; the log still helps
                print(f"could not save a screenshot: {error}")
            print(f"\nbrowser test failed: screenshot {shot}, server log {lab.log_path} "
                  f"(copied to {SERVER_LOG})")
        context.close()
