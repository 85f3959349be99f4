"""Sign-in, rotating refresh tokens, sign-out (points 2, 3, 4) and the session cookies."""

import asyncio
from datetime import timedelta

from fastapi import Request, Response
from fastapi_users.router.common import ErrorCode

from auth_service.cookies import set_session_cookies
from auth_service.models import RefreshToken, utcnow
from auth_service.refresh import hash_token
from auth_service.settings import AuthSettings


async def test_sign_in_returns_a_token_pair(client, accounts):
    await accounts.register("ann@example.io")
    response = await accounts.login("ANN@example.io")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["refresh_token"] and body["access_token"].count(".") == 2
    me = await client.get("/users/me", headers=accounts.bearer(body["access_token"]))
    assert me.json()["email"] == "ann@example.io"


async def test_wrong_password_and_unknown_email_get_the_same_answer(accounts):
    await accounts.register("ben@example.io")
    wrong = await accounts.login("ben@example.io", "not the password")
    unknown = await accounts.login("nobody@example.io", "not the password")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json()["code"] == unknown.json()["code"] == ErrorCode.LOGIN_BAD_CREDENTIALS
    assert wrong.json()["detail"] == unknown.json()["detail"] == ErrorCode.LOGIN_BAD_CREDENTIALS


async def test_an_unknown_email_costs_a_password_hash_as_a_wrong_password_does(
    client, accounts, monkeypatch
):
    await accounts.register("bo@example.io")
    passwords = client.app.state.auth.passwords
    hashed, verified = [], []
    hash_, verify = passwords.hash, passwords.verify_and_update
    monkeypatch.setattr(passwords, "hash", lambda p: hashed.append(p) or hash_(p))
    monkeypatch.setattr(
        passwords, "verify_and_update", lambda p, h: verified.append(p) or verify(p, h)
    )
    await accounts.login("nobody@example.io", "first guess")
    await accounts.login("bo@example.io", "second guess")
    assert (hashed, verified) == (["first guess"], ["second guess"])


async def test_sign_in_without_form_fields_is_refused(client):
    assert (await client.post("/jwt/login", data={"username": "x@example.io"})).status_code == 422
    assert (
        await client.post("/jwt/login", json={"username": "x", "password": "y"})
    ).status_code == 422


async def test_refresh_rotates_the_pair_and_the_used_token_dies(client, accounts):
    first = await accounts.signed_in("cat@example.io")
    response = await client.post("/jwt/refresh", json={"refresh_token": first["refresh_token"]})
    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    me = await client.get("/users/me", headers=accounts.bearer(second["access_token"]))
    assert me.status_code == 200


async def test_reusing_a_refresh_token_revokes_its_whole_family(client, accounts):
    first = await accounts.signed_in("dan@example.io")
    other_session = await accounts.tokens("dan@example.io")
    second = (
        await client.post("/jwt/refresh", json={"refresh_token": first["refresh_token"]})
    ).json()

    replay = await client.post("/jwt/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert replay.json()["detail"]["code"] == "REFRESH_TOKEN_REUSED"
    # The thief's copy and the rightful successor are both dead now...
    successor = await client.post("/jwt/refresh", json={"refresh_token": second["refresh_token"]})
    assert successor.status_code == 401
    assert successor.json()["detail"]["code"] == "REFRESH_TOKEN_REVOKED"
    # ...but the user's other sign-in (another family) lives on.
    other = await client.post(
        "/jwt/refresh", json={"refresh_token": other_session["refresh_token"]}
    )
    assert other.status_code == 200


async def test_concurrent_uses_of_one_refresh_token_let_only_one_win(client, accounts):
    pair = await accounts.signed_in("eve@example.io")
    answers = await asyncio.gather(
        *(
            client.post("/jwt/refresh", json={"refresh_token": pair["refresh_token"]})
            for _ in range(4)
        )
    )
    assert sorted(answer.status_code for answer in answers) == [200, 401, 401, 401]


async def test_refresh_tokens_are_stored_only_as_hashes(accounts):
    pair = await accounts.signed_in("fay@example.io")
    stored = await RefreshToken.find_all().to_list()
    assert [token.token_hash for token in stored] == [hash_token(pair["refresh_token"])]
    raw = await RefreshToken.get_pymongo_collection().find_one({})
    assert pair["refresh_token"] not in str(raw)


async def test_refresh_token_expires_after_its_lifetime(client, accounts, settings):
    pair = await accounts.signed_in("gus@example.io")
    assert settings.refresh_token_lifetime_s == 14 * 24 * 3600
    stored = await RefreshToken.find_one(
        RefreshToken.token_hash == hash_token(pair["refresh_token"])
    )
    assert stored is not None
    lifetime = stored.expires_at - stored.issued_at
    assert abs(lifetime - timedelta(days=14)) < timedelta(seconds=5)
    await stored.set({"expires_at": utcnow() - timedelta(seconds=1)})
    response = await client.post("/jwt/refresh", json={"refresh_token": pair["refresh_token"]})
    assert response.status_code == 401
    assert response.json()["detail"]["code"] == "REFRESH_TOKEN_EXPIRED"


async def test_bad_refresh_requests_get_precise_errors(client, accounts):
    pair = await accounts.signed_in("hal@example.io")
    cases = [
        ({"json": {"refresh_token": "garbage"}}, 401, "REFRESH_TOKEN_INVALID"),
        ({"json": {}}, 401, "REFRESH_TOKEN_MISSING"),
        ({}, 401, "REFRESH_TOKEN_MISSING"),
        ({"json": {"refresh_token": 42}}, 422, None),
        ({"json": {"refresh_token": "x" * 600}}, 422, None),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, None),
    ]
    for request, status, code in cases:
        response = await client.post("/jwt/refresh", **request)
        assert response.status_code == status, (request, response.text)
        if code:
            assert response.json()["detail"]["code"] == code
    # None of it touched the real session.
    assert (await client.post("/jwt/refresh", json=pair)).status_code == 200


async def test_sign_out_revokes_the_token_family(client, accounts):
    first = await accounts.signed_in("ida@example.io")
    second = (
        await client.post("/jwt/refresh", json={"refresh_token": first["refresh_token"]})
    ).json()
    response = await client.post("/jwt/logout", json={"refresh_token": second["refresh_token"]})
    assert response.status_code == 204
    again = await client.post("/jwt/refresh", json={"refresh_token": second["refresh_token"]})
    assert again.json()["detail"]["code"] == "REFRESH_TOKEN_REVOKED"
    assert (await client.post("/jwt/logout", json={"refresh_token": "garbage"})).status_code == 401


async def test_sign_out_everywhere_revokes_every_session(client, accounts):
    sessions = [await accounts.signed_in("joe@example.io")]
    sessions.append(await accounts.tokens("joe@example.io"))
    bystander = await accounts.signed_in("kim@example.io")
    response = await client.post(
        "/jwt/logout-all", headers=accounts.bearer(sessions[1]["access_token"])
    )
    assert response.status_code == 204
    for pair in sessions:
        refused = await client.post("/jwt/refresh", json={"refresh_token": pair["refresh_token"]})
        assert refused.status_code == 401
    assert (await client.post("/jwt/refresh", json=bystander)).status_code == 200
    assert (await client.post("/jwt/logout-all")).status_code == 401


async def test_sign_in_sets_the_session_cookies(accounts):
    await accounts.register("lea@example.io")
    response = await accounts.login("lea@example.io")
    cookies = {
        header.split("=", 1)[0]: header for header in response.headers.get_list("set-cookie")
    }
    refresh, access = cookies["farm_refresh"], cookies["farm_access"]
    assert f"farm_refresh={response.json()['refresh_token']};" in refresh
    for expected in ("HttpOnly", "Max-Age=1209600", "Path=/api/auth/jwt", "SameSite=strict"):
        assert expected in refresh
    assert f"farm_access={response.json()['access_token']};" in access
    for expected in ("HttpOnly", "Max-Age=900", "Path=/", "SameSite=strict"):
        assert expected in access
    assert "Secure" not in refresh and "Secure" not in access


async def test_cookies_are_secure_when_the_gateway_saw_https(accounts):
    await accounts.register("max@example.io")
    response = await accounts.login("max@example.io", headers={"X-Forwarded-Proto": "https"})
    assert all("Secure" in header for header in response.headers.get_list("set-cookie"))


async def test_refresh_and_sign_out_accept_the_cookie(client, accounts):
    pair = await accounts.signed_in("ned@example.io")
    cookie = {"Cookie": f"farm_refresh={pair['refresh_token']}"}
    refreshed = await client.post("/jwt/refresh", headers=cookie)
    assert refreshed.status_code == 200
    new_cookie = {"Cookie": f"farm_refresh={refreshed.cookies['farm_refresh']}"}
    logout = await client.post("/jwt/logout", headers=new_cookie)
    assert logout.status_code == 204
    cleared = logout.headers.get_list("set-cookie")
    for name in ("farm_refresh", "farm_access", "farm_session"):
        assert any(h.startswith(f"{name}=") and "Max-Age=0" in h for h in cleared), name


async def test_access_cookie_is_not_accepted_as_authentication(client, accounts):
    pair = await accounts.signed_in("oli@example.io")
    me = await client.get("/users/me", headers={"Cookie": f"farm_access={pair['access_token']}"})
    assert me.status_code == 401


def test_outside_development_cookies_are_secure_even_if_the_proxy_said_http():
    plain_http = Request({"type": "http", "scheme": "http", "headers": [], "path": "/jwt/login"})
    response = Response()
    settings = AuthSettings(environment="production")
    set_session_cookies(response, plain_http, settings, access_token="a", refresh_token="r")
    cookies = response.headers.getlist("set-cookie")
    assert len(cookies) == 3 and all("Secure" in cookie for cookie in cookies)
