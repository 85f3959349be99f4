"""The shell's pages on a phone and on a desktop: nothing wider than the screen, and axe-core
finds nothing at all (every impact), the header's user name included; a new user's empty
dashboard leads to creating a first project."""

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import accessibility_violations, dump, run_axe, screenshot, sign_in
from tests.e2e.platform_processes import Platform
from tests.e2e.seed import ADMIN_EMAIL, ADMIN_PASSWORD, Seeded

PHONE, DESKTOP = 375, 1280
WIDTHS = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]


def page_width(page: Page) -> dict[str, int]:
    return dict(
        page.evaluate(
            "() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })"
        )
    )


def assert_fits_and_is_accessible(page: Page, name: str) -> None:
    width = page_width(page)
    assert width["scroll"] <= width["inner"], f"{name} is wider than the screen: {width}"
    violations = accessibility_violations(page)
    assert violations == [], f"axe findings on {name}:\n{dump(violations)}"


def at_width(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})


def show_dashboard(page: Page) -> None:
    sign_in(page)
    # Loaded: real figures in the tiles and the task panel's first page.
    expect(page.locator("[data-kpi='open'] .kpi-value")).not_to_have_text("…")
    expect(page.get_by_role("region", name="Tasks").get_by_role("table")).to_contain_text("task")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sign_in_page_fits_and_is_accessible(page: Page, seeded: Seeded, width: int) -> None:
    at_width(page, width)
    page.goto("/login")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    assert_fits_and_is_accessible(page, f"/login at {width}px")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_dashboard_fits_and_is_accessible(page: Page, seeded: Seeded, width: int) -> None:
    at_width(page, width)
    show_dashboard(page)
    screenshot(page, f"dashboard-{width}")

    assert_fits_and_is_accessible(page, f"/dashboard at {width}px")
    # The user menu's panel fits too, and closes again with Escape.
    menu = page.get_by_role("button", name=ADMIN_EMAIL)
    menu.click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page_width(page)["scroll"] <= width
    page.keyboard.press("Escape")
    expect(menu).to_be_focused()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_admin_page_fits_and_is_accessible(page: Page, seeded: Seeded, width: int) -> None:
    at_width(page, width)
    sign_in(page)
    page.goto("/admin")
    expect(page.get_by_role("cell", name=ADMIN_EMAIL, exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name=f"Add a role to {ADMIN_EMAIL}")).to_be_visible()
    screenshot(page, f"admin-users-{width}")

    assert_fits_and_is_accessible(page, f"/admin at {width}px")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_user_name_in_the_header_has_enough_contrast(
    page: Page, seeded: Seeded, width: int
) -> None:
    at_width(page, width)
    show_dashboard(page)

    result = run_axe(page, {"include": [".user-name"]}, {"runOnly": ["color-contrast"]})

    outcomes = {
        outcome: [node["target"] for rule in result[outcome] for node in rule["nodes"]]
        for outcome in ("passes", "violations", "incomplete")
    }
    # Passed, not "incomplete" (axe could not tell the background) and not a violation.
    assert outcomes == {"passes": [[".user-name"]], "violations": [], "incomplete": []}, dump(
        outcomes
    )


def test_the_header_navigation_scrolls_inside_itself_on_a_phone(page: Page, seeded: Seeded) -> None:
    at_width(page, PHONE)
    show_dashboard(page)
    nav = page.get_by_role("navigation", name="Main")

    box = nav.bounding_box()
    assert box
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    # More entries than fit scroll inside the navigation, never the page.
    expect(nav).to_have_css("overflow-x", "auto")
    # Every entry is reachable with the keyboard and shows where focus is.
    for link in nav.get_by_role("link").all():
        link.focus()
        expect(link).to_be_in_viewport()
        expect(link).not_to_have_css("outline-style", "none")


def test_a_new_users_empty_dashboard_leads_to_creating_a_first_project(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    email = f"empty-{uuid.uuid4().hex[:8]}@e2e.example"
    with platform.api() as api:
        api.post(
            "/api/auth/register",
            json={"email": email, "password": ADMIN_PASSWORD, "full_name": "Emma Empty"},
        ).raise_for_status()
    sign_in(page, email, ADMIN_PASSWORD)
    expect(page.get_by_text("No tasks yet")).to_be_visible()

    page.get_by_role("link", name="Create your first project").click()

    page.wait_for_url("**/projects?new=1")
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    expect(page.get_by_label("Name", exact=True)).to_be_visible()
