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
