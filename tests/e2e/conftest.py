"""Headless Chromium (the system's package, never a downloaded build) against a live server."""

import os
import shutil

import pytest

from tests.conftest import REQUIRE_SERVICES

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)


@pytest.fixture(scope="session")
def browser():
    # Playwright runs an event loop in the test thread; Django would then refuse the ORM
    # calls the tests make there, although nothing runs concurrently.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _browser()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _browser():
    if not CHROMIUM:
        if REQUIRE_SERVICES:
            pytest.fail("needs Chromium: install the chromium package (required here)")
        pytest.skip("needs Chromium: install the chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def console():
    """What the page wrote to the browser's console, and the errors it raised."""
    return []


@pytest.fixture
def csp_expected():
    """Addresses a test expects the policy to block (a third party's, on purpose)."""
    return []


@pytest.fixture
def page(browser, live_server, console, csp_expected):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    yield page
    context.close()
    # Every journey runs under the Content-Security-Policy: it must have blocked nothing.
    blocked = [text for text in console if "Content Security Policy" in text]
    assert [text for text in blocked if not any(url in text for url in csp_expected)] == []


@pytest.fixture
def login(page):
    """Log a person in through the real login form."""

    def _login(user, password="correct-horse-battery"):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()

    return _login
