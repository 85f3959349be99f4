"""Revoked sessions stop working everywhere within 5 s (issue 13, hole 5): real auth, core-api
and gateway processes, no Redis. The old access token is asked about through the gateway and
directly at core-api until it is refused or the 5 s bound has passed."""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from tests.e2e.platform_processes import Platform
from tests.e2e.seed import Seeded

REVOCATION_BOUND_S = 5.0
PASSWORD = "violet-anchor-quarry-71"
NEW_PASSWORD = "saffron-lantern-glacier-38"


@dataclass
class Account:
    id: str
    email: str
    password: str
    access_token: str
    refresh_token: str


def _auth(platform: Platform) -> httpx.Client:
    """The auth service itself: accounts are made here, where no gateway limit applies."""
    return httpx.Client(base_url=f"http://127.0.0.1:{platform.env['AUTH_PORT']}", timeout=15.0)


def _core_directly(platform: Platform) -> str:
    return f"http://127.0.0.1:{platform.env['CORE_PORT']}/projects"


def _through_gateway(platform: Platform) -> str:
    return f"{platform.url}/api/core/projects"


def _sign_in(client: httpx.Client, email: str, password: str) -> httpx.Response:
    return client.post("/jwt/login", data={"username": email, "password": password})


def _new_account(platform: Platform) -> Account:
    email = f"revoked-{uuid.uuid4().hex[:10]}@e2e.example"
    with _auth(platform) as auth:
        registered = auth.post("/register", json={"email": email, "password": PASSWORD})
        assert registered.status_code == 201, registered.text
        pair = _sign_in(auth, email, PASSWORD).raise_for_status().json()
    return Account(
        registered.json()["id"], email, PASSWORD, pair["access_token"], pair["refresh_token"]
    )


def _get(url: str, token: str) -> httpx.Response:
    return httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=15.0)


def _refused_within_bound(url: str, token: str) -> httpx.Response:
    """The first refusal of `token` at `url`, or the last answer once the bound has passed."""
    deadline = time.monotonic() + REVOCATION_BOUND_S
    while True:
        response = _get(url, token)
        if response.status_code == 401 or time.monotonic() >= deadline:
            return response
        time.sleep(0.1)


def _assert_revoked(platform: Platform, token: str) -> None:
    for url in (_through_gateway(platform), _core_directly(platform)):
        refused = _refused_within_bound(url, token)
        assert refused.status_code == 401, f"{url} still accepts the token: {refused.text}"
        assert refused.json()["detail"]["code"] == "TOKEN_REVOKED"


def _assert_accepted(platform: Platform, token: str) -> None:
    for url in (_through_gateway(platform), _core_directly(platform)):
        response = _get(url, token)
        assert response.status_code == 200, f"{url}: {response.text}"


def deactivate(platform: Platform, seeded: Seeded, account: Account) -> None:
    with platform.api(seeded.admin_token) as api:
        api.patch(f"/api/auth/users/{account.id}", json={"is_active": False}).raise_for_status()


def sign_out_everywhere(platform: Platform, seeded: Seeded, account: Account) -> None:
    with platform.api(account.access_token) as api:
        assert api.post("/api/auth/jwt/logout-all").status_code == 204


def change_password(platform: Platform, seeded: Seeded, account: Account) -> None:
    with platform.api(account.access_token) as api:
        change = {"password": NEW_PASSWORD, "current_password": account.password}
        api.patch("/api/auth/users/me", json=change).raise_for_status()
    account.password = NEW_PASSWORD


Revoke = Callable[[Platform, Seeded, Account], None]


@pytest.mark.parametrize("revoke", [deactivate, sign_out_everywhere, change_password])
def test_a_revoked_users_access_token_is_refused_everywhere_within_5_s(
    platform: Platform, seeded: Seeded, revoke: Revoke
) -> None:
    account, bystander = _new_account(platform), _new_account(platform)
    _assert_accepted(platform, account.access_token)

    revoke(platform, seeded, account)

    _assert_revoked(platform, account.access_token)
    with platform.api(account.access_token) as api:
        created = api.post("/api/core/projects", json={"name": "After revocation", "key": "REV"})
        assert created.status_code == 401
        assert api.get("/api/auth/users/me").status_code == 401
    _assert_accepted(platform, bystander.access_token)


@pytest.mark.parametrize("revoke", [sign_out_everywhere, change_password])
def test_signing_in_again_after_a_revocation_works_at_once(
    platform: Platform, seeded: Seeded, revoke: Revoke
) -> None:
    account = _new_account(platform)
    revoke(platform, seeded, account)
    _assert_revoked(platform, account.access_token)

    signed_in = httpx.post(
        f"{platform.url}/api/auth/jwt/login",
        data={"username": account.email, "password": account.password},
        timeout=15.0,
    )
    assert signed_in.status_code == 200, signed_in.text
    _assert_accepted(platform, signed_in.json()["access_token"])


def test_a_deactivated_user_cannot_sign_in_again(platform: Platform, seeded: Seeded) -> None:
    account = _new_account(platform)
    deactivate(platform, seeded, account)
    with _auth(platform) as auth:
        assert _sign_in(auth, account.email, account.password).status_code == 400


def test_signing_out_one_session_leaves_the_users_other_sessions_working(
    platform: Platform,
) -> None:
    account = _new_account(platform)
    with _auth(platform) as auth:
        other_session = _sign_in(auth, account.email, account.password).json()["access_token"]
        signed_out = auth.post("/jwt/logout", json={"refresh_token": account.refresh_token})
        assert signed_out.status_code == 204

    _assert_revoked(platform, account.access_token)
    _assert_accepted(platform, other_session)


def test_the_revocation_feed_is_not_served_through_the_gateway(platform: Platform) -> None:
    account = _new_account(platform)
    with platform.api(account.access_token) as api:
        for path in (
            "/api/auth/internal/revocations",
            "/api/auth//internal/revocations",
            "/api/auth/%69nternal/revocations",
        ):
            response = api.get(path)
            assert response.status_code == 404, path
            assert response.json()["detail"]["code"] == "API_NOT_FOUND"
    with _auth(platform) as auth:
        assert auth.get("/internal/revocations").status_code == 200


def test_a_deactivated_service_accounts_token_is_refused_everywhere_within_5_s(
    platform: Platform, seeded: Seeded
) -> None:
    with platform.api(seeded.admin_token) as admin:
        name = f"revoked-{uuid.uuid4().hex[:8]}"
        created = admin.post("/api/auth/clients", json={"name": name, "roles": []})
        client = created.raise_for_status().json()
        credentials = {
            "grant_type": "client_credentials",
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
        }
        token = httpx.post(f"{platform.url}/api/auth/token", data=credentials, timeout=15.0)
        access_token = token.raise_for_status().json()["access_token"]
        _assert_accepted(platform, access_token)

        deactivated = admin.delete(f"/api/auth/clients/{client['client_id']}")
        assert deactivated.status_code == 204

    _assert_revoked(platform, access_token)
    again = httpx.post(f"{platform.url}/api/auth/token", data=credentials, timeout=15.0)
    assert again.status_code == 401
