"""Browser tests: Playwright driving Debian's chromium against a live test server.

Screenshots go to ``artifacts/screenshots/`` (CI keeps that folder). Without
``/usr/bin/chromium`` the tests are skipped, unless ``EGOV_REQUIRE_BROWSER=1`` (CI), where a
missing browser is a failure.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Playwright runs an event loop in this thread; Django's ORM calls from test code are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("EGOV_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required for the browser tests")
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db, demo):
    """The live server with the demo province loaded."""
    return live_server.url


@pytest.fixture
def page_for(browser, site):
    """A fresh browser page, logged in as ``username`` when given (through the login form)."""
    from django.conf import settings

    contexts = []

    def open_page(username=None, viewport=DESKTOP, locale="en-US"):
        context = browser.new_context(viewport=viewport, locale=locale, base_url=site)
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        if username:
            page.goto("/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", settings.EGOV_DEMO_PASSWORD)
            page.click("main form button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield open_page
    for context in contexts:
        context.close()


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
