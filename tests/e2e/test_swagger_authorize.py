"""Swagger UI at the gateway's /docs is usable by the platform's API consumers (issue 15): a
service account authorizes with its client id and secret (OAuth2 client credentials) and a
person with their e-mail and password (OAuth2 password), both through the gateway's token
URLs, and "Try it out" then lists exactly the projects each was granted."""

import uuid

from playwright.sync_api import Locator, Page, expect

from tests.e2e.browser import ARTIFACTS
from tests.e2e.platform_processes import Platform
from tests.e2e.seed import ADMIN_PASSWORD, Seeded
from tests.e2e.test_projects import new_user, project_of, unique_key

# Swagger UI shows one section per flow of the merged document's one OAuth2 scheme; each
# flow's token URL is the gateway's own.
CLIENT_CREDENTIALS_FLOW = "OAuth2 (OAuth2, clientCredentials)", "/api/auth/token"
PASSWORD_FLOW = "OAuth2 (OAuth2, password)", "/api/auth/jwt/login"


def service_account_with_project(platform: Platform, admin_token: str) -> tuple[str, str, str]:
    """A new service account (its id and secret) that is a viewer of a new project (its name),
    made by an admin through the gateway as docs/api-consumers.md shows."""
    project_name = f"Nightly reports {uuid.uuid4().hex[:6]}"
    with platform.api(admin_token) as admin:
        created = admin.post(
            "/api/auth/clients", json={"name": f"swagger-{uuid.uuid4().hex[:8]}", "roles": []}
        )
        assert created.status_code == 201, created.text
        client = created.json()
        project = admin.post("/api/core/projects", json={"name": project_name, "key": unique_key()})
        assert project.status_code == 201, project.text
        granted = admin.put(
            f"/api/core/projects/{project.json()['id']}/members/client:{client['client_id']}",
            json={"role": "viewer"},
        )
        assert granted.status_code == 200, granted.text
    return client["client_id"], client["client_secret"], project_name


def authorize(page: Page, flow: tuple[str, str], fields: dict[str, str]) -> None:
    """Opens Authorize, fills one flow's fields (by their labels) and authorizes with them."""
    heading, token_path = flow
    page.get_by_role("button", name="Authorize").first.click()
    section = page.locator(".modal-ux .auth-container").filter(has_text=heading)
    for label, value in fields.items():
        section.get_by_label(label, exact=True).fill(value)
    with page.expect_response(f"{page.url.removesuffix('/docs')}{token_path}") as token:
        section.get_by_role("button", name="Apply given OAuth2 credentials").click()
    assert token.value.status == 200, token.value.text()
    # Swagger UI swaps Authorize for Logout once the token endpoint has answered with a token.
    expect(section.get_by_role("button", name="Remove authorization")).to_be_visible()
    expect(section.locator(".errors")).to_have_count(0)
    section.get_by_role("button", name="Close").click()


def list_projects(page: Page) -> Locator:
    """Runs GET /api/core/projects with "Try it out" and returns the live response shown."""
    operation = (
        page.locator(".opblock")
        .filter(has=page.locator(".opblock-summary-path[data-path='/api/core/projects']"))
        .filter(has=page.locator(".opblock-summary-method", has_text="GET"))
    )
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    return operation.locator(".live-responses-table .response")


def test_a_service_account_authorizes_in_swagger_ui_and_lists_its_project(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    client_id, client_secret, project_name = service_account_with_project(
        platform, seeded.admin_token
    )
    page.goto("/docs")
    authorize(
        page, CLIENT_CREDENTIALS_FLOW, {"client_id:": client_id, "client_secret:": client_secret}
    )

    response = list_projects(page)
    expect(response.locator(".response-col_status")).to_have_text("200")
    body = response.locator(".response-col_description")
    expect(body).to_contain_text(project_name)
    # Only what it was granted: the seeded project is not the service account's.
    expect(body).not_to_contain_text('"Apollo"')
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    response.screenshot(path=str(ARTIFACTS / "swagger-authorize-service-account.png"))


def test_a_person_authorizes_in_swagger_ui_with_the_password_flow(
    page: Page, platform: Platform, seeded: Seeded
) -> None:
    person = new_user(platform, "Sam Swagger")
    project_name = f"Sam's plan {uuid.uuid4().hex[:6]}"
    project_of(platform, person, project_name)
    page.goto("/docs")
    authorize(page, PASSWORD_FLOW, {"username:": person.email, "password:": ADMIN_PASSWORD})

    response = list_projects(page)
    expect(response.locator(".response-col_status")).to_have_text("200")
    expect(response.locator(".response-col_description")).to_contain_text(project_name)
