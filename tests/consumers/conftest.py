"""One real platform (the e2e starter: auth, core-api, gateway, fragment hosts) for the tests
that use the API the way a service consumer does, and an admin account on it."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.e2e.platform_processes import Platform, start_platform


@dataclass(frozen=True)
class Admin:
    email: str
    password: str


@pytest.fixture(scope="session")
def consumer_platform(
    mongodb_uri: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Platform]:
    running = start_platform(mongodb_uri, tmp_path_factory.mktemp("consumer-platform"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def admin(consumer_platform: Platform) -> Admin:
    account = Admin(email="consumer-admin@example.com", password="consumer-admin-password-1")
    consumer_platform.cli(
        "create-admin", "--email", account.email, AUTH_ADMIN_PASSWORD=account.password
    )
    return account


@dataclass(frozen=True)
class ServiceAccount:
    client_id: str
    client_secret: str
    project_id: str


def sign_in(platform: Platform, admin: Admin) -> str:
    with platform.api() as api:
        answer = api.post(
            "/api/auth/jwt/login", data={"username": admin.email, "password": admin.password}
        )
    return str(answer.raise_for_status().json()["access_token"])


def service_account_with_project(platform: Platform, admin: Admin, name: str) -> ServiceAccount:
    """A new service account `name`, editor of a new project the admin owns."""
    with platform.api(sign_in(platform, admin)) as api:
        client = api.post("/api/auth/clients", json={"name": name}).raise_for_status().json()
        key = name.upper().replace("-", "")[:10]
        project = api.post("/api/core/projects", json={"name": name, "key": key})
        project_id = project.raise_for_status().json()["id"]
        member = f"/api/core/projects/{project_id}/members/client:{client['client_id']}"
        api.put(member, json={"role": "editor"}).raise_for_status()
    return ServiceAccount(client["client_id"], client["client_secret"], project_id)
