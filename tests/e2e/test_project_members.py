"""Project members are real accounts (issue 13, hole 9; issue 14, members), against every real
process: core-api asks auth before it adds anyone, the check is not reachable through the
gateway, and in Chromium an owner adds a colleague by e-mail who then sees the project."""

import re
import uuid

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import dump, screenshot, serious_accessibility_violations, sign_in
from tests.e2e.platform_processes import Platform
from tests.e2e.seed import ADMIN_PASSWORD, Seeded
from tests.e2e.test_projects import new_user, project_of


def put_member(platform: Platform, token: str, project_id: str, member: str) -> httpx.Response:
    with platform.api(token) as api:
        return api.put(f"/api/core/projects/{project_id}/members/{member}", json={"role": "editor"})


def test_only_active_accounts_become_members_through_the_gateway(
    platform: Platform, seeded: Seeded
) -> None:
    owner, colleague, leaver = (new_user(platform, name) for name in ("Ola", "Cai", "Lea"))
    project_id = project_of(platform, owner, "Members check")
    with platform.api(seeded.admin_token) as admin:
        deactivated = admin.patch(f"/api/auth/users/{leaver.id}", json={"is_active": False})
        assert deactivated.status_code == 200, deactivated.text
        client_name = f"reporter-{uuid.uuid4().hex[:8]}"
        created = admin.post("/api/auth/clients", json={"name": client_name, "roles": []})
        assert created.status_code == 201, created.text

    for nobody in ("not-a-real-user", "0" * 24, leaver.id, "client:nobody-here"):
        refused = put_member(platform, owner.token, project_id, nobody)
        assert refused.status_code == 404, (nobody, refused.text)
        assert refused.json()["detail"]["code"] == "MEMBER_NOT_FOUND"
    for somebody in (colleague.id, f"client:{client_name}"):
        added = put_member(platform, owner.token, project_id, somebody)
        assert added.status_code == 200, (somebody, added.text)
    with platform.api(owner.token) as api:
        members = api.get(f"/api/core/projects/{project_id}").json()["members"]
    assert [m["user_id"] for m in members] == [owner.id, colleague.id, f"client:{client_name}"]


def test_the_principal_check_is_not_served_through_the_gateway(
    platform: Platform, seeded: Seeded
) -> None:
    body = {"ids": [seeded.project_id]}
    with platform.api(seeded.admin_token) as api:
        for path in (
            "/api/auth/internal/principals",
            "/api/auth//internal/principals",
            "/api/auth/%69nternal/principals",
        ):
            for response in (api.get(path), api.post(path, json=body)):
                assert response.status_code == 404, path
                assert response.json()["detail"]["code"] == "API_NOT_FOUND"
    direct = httpx.post(
        f"http://127.0.0.1:{platform.env['AUTH_PORT']}/internal/principals", json=body
    )
    assert direct.status_code == 200 and direct.json() == {"active": []}


def test_an_owner_adds_a_colleague_by_email_who_then_sees_the_project(
    page: Page, browser: Browser, platform: Platform, seeded: Seeded
) -> None:
    owner, colleague = new_user(platform, "Olu Owner"), new_user(platform, "Kim Colleague")
    name = f"Shared plan {uuid.uuid4().hex[:6]}"
    project_id = project_of(platform, owner, name)
    sign_in(page, owner.email, ADMIN_PASSWORD)
    page.goto(f"/projects/{project_id}")
    page.get_by_role("navigation", name="Views").get_by_role("link", name="Members").click()
    expect(page).to_have_url(re.compile(r"\?view=members$"))
    form = page.get_by_role("form", name="Add member")

    form.get_by_label("E-mail or service account").fill(
        f"nobody-{uuid.uuid4().hex[:6]}@e2e.example"
    )
    form.get_by_role("button", name="Add member").click()
    problem = page.get_by_role("alert")
    expect(problem).to_contain_text("No active account has that e-mail address")
    expect(problem).to_contain_text("EMAIL_LOOKUP_NOT_FOUND")

    form.get_by_label("E-mail or service account").fill(colleague.email.upper())
    form.get_by_label("Role").select_option("viewer")
    form.get_by_role("button", name="Add member").click()
    members = page.get_by_role("list", name="Members of the project")
    added = members.get_by_role("listitem").filter(has_text="Kim Colleague")
    expect(added.get_by_label("Role of Kim Colleague")).to_have_value("viewer")
    expect(page.get_by_role("alert")).to_have_count(0)
    violations = serious_accessibility_violations(page)
    assert violations == [], dump(violations)
    screenshot(page, "projects-members")

    # The colleague, in a browser of their own (own cookies, own session).
    with browser.new_context(base_url=platform.url) as theirs:
        their_page = theirs.new_page()
        sign_in(their_page, colleague.email, ADMIN_PASSWORD)
        their_page.goto("/projects")
        expect(their_page.get_by_role("link", name=name)).to_be_visible()
