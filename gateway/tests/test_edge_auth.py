"""Edge auth: protected routes need a valid bearer before any upstream sees the request."""

import pytest

from gateway.tests.conftest import AUTH, CORE, bearer


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "TOKEN_MISSING"),
        ({"authorization": "Basic dXNlcjpwYXNz"}, "TOKEN_MISSING"),
        ({"authorization": "Bearer not-a-jwt"}, "TOKEN_MALFORMED"),
    ],
)
async def test_protected_routes_reject_missing_or_malformed_tokens(
    gateway, upstreams, headers, code
):
    route = upstreams.get(f"{CORE}/projects").respond(200, json=[])
    response = await gateway.get("/api/core/projects", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"]["code"] == code
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert not route.called


async def test_expired_and_foreign_tokens_are_rejected(gateway, upstreams, token_issuer):
    route = upstreams.get(f"{CORE}/projects").respond(200, json=[])
    expired = token_issuer.mint("user-1", lifetime_s=-3600)
    other_audience = token_issuer.mint("user-1", aud="someone-else")
    for token, code in ((expired, "TOKEN_EXPIRED"), (other_audience, "TOKEN_AUDIENCE_REJECTED")):
        response = await gateway.get("/api/core/projects", headers=bearer(token))
        assert response.status_code == 401
        assert response.json()["detail"]["code"] == code
    assert not route.called


async def test_a_valid_token_is_forwarded_unchanged(gateway, upstreams, member_token):
    route = upstreams.get(f"{CORE}/projects").respond(200, json=[])
    response = await gateway.get("/api/core/projects", headers=bearer(member_token))
    assert response.status_code == 200
    assert route.calls.last.request.headers["authorization"] == f"Bearer {member_token}"


@pytest.mark.parametrize(
    ("method", "path", "upstream_path"),
    [
        ("POST", "/api/auth/jwt/login", f"{AUTH}/jwt/login"),
        ("POST", "/api/auth/register", f"{AUTH}/register"),
        ("POST", "/api/auth/token", f"{AUTH}/token"),
        ("GET", "/api/auth/.well-known/jwks.json", f"{AUTH}/.well-known/jwks.json"),
        ("GET", "/api/core/fragments/manifest", f"{CORE}/fragments/manifest"),
        ("GET", "/api/core/healthz", f"{CORE}/healthz"),
    ],
)
async def test_public_routes_need_no_token(gateway, upstreams, method, path, upstream_path):
    route = upstreams.request(method, upstream_path).respond(200, json={})
    response = await gateway.request(method, path)
    assert response.status_code == 200
    assert route.called


async def test_the_auth_services_own_user_routes_are_protected(gateway, upstreams):
    route = upstreams.get(f"{AUTH}/users/me").respond(200, json={})
    assert (await gateway.get("/api/auth/users/me")).status_code == 401
    assert not route.called


async def test_rejections_are_counted_in_metrics(gateway, upstreams):
    await gateway.get("/api/core/projects")
    metrics = (await gateway.get("/metrics")).text
    assert 'gateway_auth_rejected_total{code="TOKEN_MISSING"} 1.0' in metrics
