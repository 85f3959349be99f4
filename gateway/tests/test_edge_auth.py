"""Edge auth: protected routes need a valid bearer before any upstream sees the request."""

import asyncio
import time

import jwt
import pytest

from gateway.app import create_app
from gateway.tests.conftest import bearer, running


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "TOKEN_MISSING"),
        ({"authorization": "Basic dXNlcjpwYXNz"}, "TOKEN_MISSING"),
        ({"authorization": "Bearer not-a-jwt"}, "TOKEN_MALFORMED"),
    ],
)
async def test_protected_routes_reject_missing_or_malformed_tokens(gateway, core, headers, code):
    core.reply("GET", "/projects", json=[])
    response = await gateway.get("/api/core/projects", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"]["code"] == code
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert core.seen == []


async def test_expired_and_foreign_tokens_are_rejected(gateway, core, token_issuer):
    core.reply("GET", "/projects", json=[])
    expired = token_issuer.mint("user-1", lifetime_s=-3600)
    other_audience = token_issuer.mint("user-1", aud="someone-else")
    for token, code in ((expired, "TOKEN_EXPIRED"), (other_audience, "TOKEN_AUDIENCE_REJECTED")):
        response = await gateway.get("/api/core/projects", headers=bearer(token))
        assert response.status_code == 401
        assert response.json()["detail"]["code"] == code
    assert core.seen == []


async def test_a_valid_token_is_forwarded_unchanged(gateway, core, member_token):
    core.reply("GET", "/projects", json=[])
    response = await gateway.get("/api/core/projects", headers=bearer(member_token))
    assert response.status_code == 200
    assert core.seen[-1].headers["authorization"] == f"Bearer {member_token}"


async def test_a_verified_token_is_checked_once_while_it_lives(
    make_settings, upstreams, core, token_issuer
):
    core.reply("GET", "/projects", json=[])
    app = create_app(make_settings())
    verifier = app.state.edge_auth.verifier
    checked: list[str] = []
    verify = verifier.verify

    async def counting_verify(token: str):
        checked.append(token)
        return await verify(token)

    verifier.verify = counting_verify
    long_lived = token_issuer.mint("user-7", ["member"])
    # Long enough that a loaded machine cannot cross its exp during the first five requests.
    short_lived = token_issuer.mint("user-8", ["member"], lifetime_s=4)
    async with running(app) as client:
        for token in (long_lived, long_lived, short_lived, long_lived, short_lived):
            response = await client.get("/api/core/projects", headers=bearer(token))
            assert response.status_code == 200
        assert checked == [long_lived, short_lived]
        expires_at = jwt.decode(short_lived, options={"verify_signature": False})["exp"]
        await asyncio.sleep(max(0.0, expires_at - time.time()) + 0.1)  # past exp: checked again
        await client.get("/api/core/projects", headers=bearer(short_lived))
    assert checked == [long_lived, short_lived, short_lived]


@pytest.mark.parametrize(
    ("method", "path", "upstream_path"),
    [
        ("POST", "/api/auth/jwt/login", "/jwt/login"),
        ("POST", "/api/auth/register", "/register"),
        ("POST", "/api/auth/token", "/token"),
        ("GET", "/api/auth/.well-known/jwks.json", "/.well-known/jwks.json"),
        ("GET", "/api/core/fragments/manifest", "/fragments/manifest"),
        ("GET", "/api/core/healthz", "/healthz"),
    ],
)
async def test_public_routes_need_no_token(gateway, auth, core, method, path, upstream_path):
    upstream = auth if path.startswith("/api/auth") else core
    upstream.reply(method, upstream_path, json={})
    response = await gateway.request(method, path)
    assert response.status_code == 200
    assert upstream.calls(upstream_path)


async def test_the_auth_services_own_user_routes_are_protected(gateway, auth):
    auth.reply("GET", "/users/me", json={})
    assert (await gateway.get("/api/auth/users/me")).status_code == 401
    assert auth.seen == []


async def test_rejections_are_counted_in_metrics(gateway, upstreams):
    await gateway.get("/api/core/projects")
    metrics = (await gateway.get("/metrics")).text
    assert 'gateway_auth_rejected_total{code="TOKEN_MISSING"} 1.0' in metrics
