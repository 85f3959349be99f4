"""Browser tests against the whole platform: one platform and one Chromium per test run,
a fresh browser context (cookies, storage) per test. Screenshots go to test-artifacts/e2e/."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.e2e.platform_processes import Platform, start_platform
from tests.e2e.seed import Seeded, seed
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

expect.set_options(timeout=10_000)

CSP_VIOLATION_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${event.documentURI}` +
      (event.sourceFile ? ` from ${event.sourceFile}:${event.lineNumber}` : ""),
  );
});
"""


@pytest.fixture(scope="session")
def platform(mongodb_uri: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    running = start_platform(mongodb_uri, tmp_path_factory.mktemp("platform"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def seeded(platform: Platform) -> Seeded:
    return seed(platform)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: run 'make setup-test'", returncode=1)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, platform: Platform) -> Iterator[Page]:
    context = browser.new_context(base_url=platform.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    errors: list[str] = []
    # Nothing the platform itself serves may trip the Content-Security-Policy: every
    # violation event (inline <style> or script, a style= attribute, an origin not admitted)
    # is reported here from every page the test opens, shadow roots included.
    context.expose_binding(
        "__reportCspViolation", lambda _source, violation: errors.append(f"CSP: {violation}")
    )
    context.add_init_script(CSP_VIOLATION_LISTENER)
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on(
        "console",
        lambda message: "Content Security Policy" in message.text and errors.append(message.text),
    )
    yield tab
    context.close()
    assert errors == [], f"uncaught errors or CSP violations in the page: {errors}"
