"""The account page (/account, owned by the shell) and the browser session around it, in
Chromium against every real process: the name, the password (with its rules shown next to
the field), the signed-in sessions and signing out everywhere; no session asked for on a
first visit; no refresh token where page script could read it."""

import re
import uuid
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.browser import dump, screenshot, serious_accessibility_violations, sign_in
from tests.e2e.platform_processes import Platform
from tests.e2e.seed import Seeded

PASSWORD = "violet-anchor-quarry-71"
NEW_PASSWORD = "saffron-lantern-glacier-38"


SIGN_IN_FROM_PAGE_SCRIPT = """async ([username, password]) => {
  const answer = await fetch("/api/auth/jwt/login", {
    method: "POST", body: new URLSearchParams({ username, password }),
  });
  return {
    status: answer.status,
    cacheControl: answer.headers.get("Cache-Control"),
    body: await answer.json(),
  };
}"""


def new_member(platform: Platform, name: str) -> str:
    email = f"account-{uuid.uuid4().hex[:8]}@e2e.example"
    registered = httpx.post(
        f"{platform.url}/api/auth/register",
        json={"email": email, "password": PASSWORD, "full_name": name},
        timeout=15,
    )
    registered.raise_for_status()
    return email


def open_account_page(page: Page, name: str) -> None:
    """Through the user menu, which the header names by the user's display name."""
    page.get_by_role("button", name=re.compile(re.escape(name))).click()
    page.get_by_role("link", name="Account").click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.get_by_role("heading", name="Account", level=1)).to_be_visible()


def section(page: Page, name: str):
    return page.get_by_role("region", name=name)


@pytest.fixture
def other_browser(browser: Browser, platform: Platform) -> Iterator[BrowserContext]:
    """A second browser (its own cookies): another device of the same user."""
    context = browser.new_context(base_url=platform.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_a_member_renames_themselves_and_changes_their_password(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    email = new_member(platform, "Ava Account")
    sign_in(page, email, PASSWORD)
    open_account_page(page, "Ava Account")
    expect(page.locator(".user-menu-panel")).to_contain_text(email)

    profile = section(page, "Profile")
    profile.get_by_label("Display name").fill("Ava Renamed")
    profile.get_by_role("button", name="Save name").click()
    expect(profile.get_by_role("status")).to_have_text("Your display name was saved.")
    # The header follows the new name at once, and after a reload; without a name, the e-mail.
    expect(page.locator(".user-name")).to_have_text("Ava Renamed")
    page.reload()
    expect(section(page, "Profile").get_by_label("Display name")).to_have_value("Ava Renamed")
    expect(page.locator(".user-name")).to_have_text("Ava Renamed")
    section(page, "Profile").get_by_label("Display name").fill("")
    section(page, "Profile").get_by_role("button", name="Save name").click()
    expect(page.locator(".user-name")).to_have_text(email)
    expect(section(page, "E-mail")).to_contain_text("Not verified")

    # A weak new password is refused, and the reason sits next to the field.
    password = section(page, "Password")
    password.get_by_label("Current password").fill(PASSWORD)
    password.get_by_label("New password").fill("password1234")
    password.get_by_role("button", name="Change password").click()
    new_field = password.get_by_label("New password")
    expect(new_field).to_have_attribute("aria-invalid", "true")
    expect(password.get_by_role("alert")).to_have_text(
        "Password is too easy to guess. This is a very common password."
    )
    # So is a wrong current password, next to its own field.
    password.get_by_label("Current password").fill("not my password")
    new_field.fill(NEW_PASSWORD)
    password.get_by_role("button", name="Change password").click()
    expect(password.get_by_role("alert")).to_have_text("Your current password is not right.")
    expect(password.get_by_label("Current password")).to_have_attribute("aria-invalid", "true")
    assert serious_accessibility_violations(page) == [], dump(
        serious_accessibility_violations(page)
    )

    password.get_by_label("Current password").fill(PASSWORD)
    password.get_by_role("button", name="Change password").click()
    page.wait_for_url("**/login?notice=password-changed")
    expect(page.get_by_role("status")).to_have_text(
        "Your password was changed. Sign in with the new one."
    )
    sign_in(page, email, NEW_PASSWORD)


def test_two_devices_are_listed_and_signing_out_everywhere_ends_the_other(
    page: Page, other_browser: BrowserContext, platform: Platform, seeded: Seeded
) -> None:
    email = new_member(platform, "Dev Twice")
    phone = other_browser.new_page()
    sign_in(phone, email, PASSWORD)
    sign_in(page, email, PASSWORD)
    open_account_page(page, "Dev Twice")

    sessions = section(page, "Where you are signed in").get_by_role("listitem")
    expect(sessions).to_have_count(2)
    expect(sessions.filter(has_text="This device")).to_have_count(1)
    expect(sessions.first).to_contain_text("Chrome on Linux")
    screenshot(page, "account")

    # Signing the other device out ends it there, and only there.
    others = sessions.filter(has_not_text="This device")
    others.get_by_role("button", name=re.compile("^Sign out")).click()
    expect(sessions).to_have_count(1)
    phone.reload()
    expect(phone).to_have_url(re.compile(r"/login\?next=%2Fdashboard$"))

    sign_in(phone, email, PASSWORD)
    page.reload()
    expect(sessions).to_have_count(2)
    section(page, "Where you are signed in").get_by_role(
        "button", name="Sign out everywhere"
    ).click()
    page.wait_for_url(re.compile(r"/login$"))
    phone.reload()
    expect(phone).to_have_url(re.compile(r"/login\?next=%2Fdashboard$"))
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()


def test_the_account_page_fits_a_phone(page: Page, platform: Platform, seeded: Seeded) -> None:
    # A long display name in the header is cut short, never wider than the screen.
    name = "Pia Philippa Featherstonehaugh-Cholmondeley"
    email = new_member(platform, name)
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, email, PASSWORD)
    page.goto("/account")
    expect(section(page, "Password").get_by_label("New password")).to_be_visible()
    expect(page.locator(".user-name")).to_have_text(name)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    account = page.locator(".account")
    box = account.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    assert account.evaluate("node => node.scrollWidth <= node.clientWidth")
    screenshot(page, "account-phone")
    violations = serious_accessibility_violations(page)
    assert violations == [], dump(violations)


def test_a_first_visit_asks_for_no_session_and_script_never_sees_a_refresh_token(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    refreshes: list[int] = []
    page.on("response", lambda r: "/api/auth/jwt/refresh" in r.url and refreshes.append(r.status))
    page.goto("/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert refreshes == [], "a first visit asked to renew a session it does not have"

    # Page script signing in (as the shell does) gets no refresh token to read.
    email = new_member(platform, "Sid Cookie")
    answer = page.evaluate(SIGN_IN_FROM_PAGE_SCRIPT, [email, PASSWORD])
    assert answer["status"] == 200 and answer["cacheControl"] == "no-store"
    assert "refresh_token" not in answer["body"] and answer["body"]["access_token"]
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert cookies["farm_refresh"]["httpOnly"] and not cookies["farm_session"]["httpOnly"]

    # With the marker set, the next page load renews the session from the cookie.
    with page.expect_response("**/api/auth/jwt/refresh") as renewal:
        page.goto("/account")
    assert renewal.value.status == 200
    expect(page.get_by_role("heading", name="Account", level=1)).to_be_visible()
