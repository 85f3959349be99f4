"""Forwarding: what reaches an upstream, what comes back, and every failure as JSON."""

import httpx

from gateway.app import create_app
from gateway.settings import Upstream
from gateway.tests.conftest import AUTH, CORE, bearer, running


async def test_method_path_query_body_and_headers_pass_through(gateway, upstreams, member_token):
    route = upstreams.put(f"{CORE}/projects/p%201").respond(201, json={"ok": True})
    response = await gateway.put(
        "/api/core/projects/p%201?tag=a&tag=b%20c",
        content=b'{"name": "x"}',
        headers={**bearer(member_token), "content-type": "application/json", "x-custom": "1"},
    )
    assert response.status_code == 201
    assert response.json() == {"ok": True}
    sent = route.calls.last.request
    assert sent.url.raw_path == b"/projects/p%201?tag=a&tag=b%20c"
    assert sent.content == b'{"name": "x"}'
    assert sent.headers["x-custom"] == "1"
    assert sent.headers["authorization"] == f"Bearer {member_token}"
    assert sent.headers["host"] == "core.test"


async def test_hop_by_hop_headers_are_dropped_both_ways(gateway, upstreams, member_token):
    route = upstreams.get(f"{CORE}/projects").respond(
        200,
        json=[],
        headers={
            "keep-alive": "timeout=5",
            "connection": "x-upstream-secret",
            "x-upstream-secret": "s",
        },
    )
    response = await gateway.get(
        "/api/core/projects",
        headers={
            **bearer(member_token),
            "connection": "x-client-private",
            "x-client-private": "p",
            "keep-alive": "timeout=1",
            "proxy-authorization": "Basic eDp5",
            "te": "trailers",
        },
    )
    assert response.status_code == 200
    sent = route.calls.last.request.headers
    for name in ("x-client-private", "keep-alive", "proxy-authorization", "te"):
        assert name not in sent
    assert "keep-alive" not in response.headers
    assert "x-upstream-secret" not in response.headers


async def test_forwarding_headers_come_from_the_gateway_only(gateway, upstreams, member_token):
    route = upstreams.get(f"{CORE}/projects").respond(200, json=[])
    await gateway.get(
        "/api/core/projects",
        headers={
            **bearer(member_token),
            "x-forwarded-for": "10.9.9.9, <script>",
            "x-forwarded-host": "evil.example",
            "x-forwarded-proto": "gopher",
            "forwarded": "for=10.9.9.9",
            "x-real-ip": "10.9.9.9",
        },
    )
    sent = route.calls.last.request.headers
    assert sent.get_list("x-forwarded-for") == ["203.0.113.7"]
    assert sent.get_list("x-forwarded-host") == ["gateway.test"]
    assert sent.get_list("x-forwarded-proto") == ["http"]
    assert "forwarded" not in sent
    assert "x-real-ip" not in sent


async def test_a_safe_request_id_is_kept_and_an_unsafe_one_replaced(
    gateway, upstreams, member_token
):
    route = upstreams.get(f"{CORE}/projects").respond(200, json=[])
    kept = await gateway.get(
        "/api/core/projects", headers={**bearer(member_token), "x-request-id": "abc-123"}
    )
    assert kept.headers["x-request-id"] == "abc-123"
    assert route.calls.last.request.headers["x-request-id"] == "abc-123"

    replaced = await gateway.get(
        "/api/core/projects",
        headers={**bearer(member_token), "x-request-id": "bad id\twith spaces"},
    )
    new_id = replaced.headers["x-request-id"]
    assert new_id != "bad id\twith spaces" and len(new_id) == 32
    assert route.calls.last.request.headers["x-request-id"] == new_id


async def test_bare_prefix_reaches_the_upstream_root(gateway, upstreams):
    route = upstreams.get(f"{CORE}/healthz").respond(200, json={"status": "ok"})
    assert (await gateway.get("/api/core/healthz")).status_code == 200
    assert route.called


async def test_unknown_api_prefix_is_a_json_404_not_the_shell(gateway):
    response = await gateway.get("/api/nothing/here")
    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "API_NOT_FOUND"


async def test_a_slow_upstream_answers_504_naming_it(make_settings, upstreams):
    settings = make_settings(
        routes=[Upstream(name="core", url=CORE, prefix="/api/core", read_timeout_s=0.2)]
    )
    upstreams.get(f"{CORE}/healthz").mock(side_effect=httpx.ReadTimeout("slow"))
    async with running(create_app(settings)) as client:
        response = await client.get("/api/core/healthz")
    assert response.status_code == 504
    assert response.json()["detail"] == {
        "code": "UPSTREAM_TIMEOUT",
        "reason": "core did not answer in time",
        "upstream": "core",
    }


async def test_an_unreachable_upstream_answers_502_after_retrying_gets(make_settings, upstreams):
    settings = make_settings(
        routes=[Upstream(name="core", url=CORE, prefix="/api/core", retry_backoff_s=0.001)]
    )
    route = upstreams.get(f"{CORE}/healthz").mock(side_effect=httpx.ConnectError("refused"))
    async with running(create_app(settings)) as client:
        response = await client.get("/api/core/healthz")
    assert response.status_code == 502
    assert response.json()["detail"]["code"] == "UPSTREAM_UNREACHABLE"
    assert response.json()["detail"]["upstream"] == "core"
    assert route.call_count == 3  # the first try and two retries


async def test_a_retry_that_connects_succeeds(make_settings, upstreams):
    settings = make_settings(
        routes=[Upstream(name="core", url=CORE, prefix="/api/core", retry_backoff_s=0.001)]
    )
    route = upstreams.get(f"{CORE}/healthz").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json={"status": "ok"})]
    )
    async with running(create_app(settings)) as client:
        response = await client.get("/api/core/healthz")
    assert response.status_code == 200
    assert route.call_count == 2


async def test_posts_are_never_retried(make_settings, upstreams):
    settings = make_settings(
        routes=[
            Upstream(name="auth", url="http://auth.test", prefix="/api/auth", retry_backoff_s=0.001)
        ]
    )
    route = upstreams.post("http://auth.test/jwt/login").mock(
        side_effect=httpx.ConnectError("refused")
    )
    async with running(create_app(settings)) as client:
        response = await client.post("/api/auth/jwt/login", data={"username": "a", "password": "b"})
    assert response.status_code == 502
    assert route.call_count == 1


async def test_read_timeouts_are_not_retried(make_settings, upstreams):
    route = upstreams.get(f"{CORE}/healthz").mock(side_effect=httpx.ReadTimeout("slow"))
    async with running(create_app(make_settings())) as client:
        assert (await client.get("/api/core/healthz")).status_code == 504
    assert route.call_count == 1


async def test_garbage_from_an_upstream_is_a_502(gateway, upstreams):
    upstreams.get(f"{CORE}/healthz").mock(side_effect=httpx.RemoteProtocolError("garbage"))
    response = await gateway.get("/api/core/healthz")
    assert response.status_code == 502
    assert response.json()["detail"]["code"] == "UPSTREAM_BAD_RESPONSE"


async def test_a_declared_body_over_the_limit_is_413_before_the_upstream(make_settings, upstreams):
    settings = make_settings(
        routes=[
            Upstream(name="auth", url="http://auth.test", prefix="/api/auth", max_body_bytes=100)
        ]
    )
    route = upstreams.post("http://auth.test/register").respond(201)
    async with running(create_app(settings)) as client:
        response = await client.post("/api/auth/register", content=b"x" * 101)
    assert response.status_code == 413
    assert response.json()["detail"]["code"] == "BODY_TOO_LARGE"
    assert not route.called


async def test_a_chunked_body_over_the_limit_is_413(make_settings, upstreams):
    settings = make_settings(
        routes=[
            Upstream(name="auth", url="http://auth.test", prefix="/api/auth", max_body_bytes=100)
        ]
    )
    upstreams.post("http://auth.test/register").respond(201)

    async def chunks():
        for _ in range(5):
            yield b"x" * 40

    async with running(create_app(settings)) as client:
        response = await client.post("/api/auth/register", content=chunks())
    assert response.status_code == 413


async def test_the_upstream_response_headers_and_status_come_back(gateway, upstreams):
    upstreams.get(f"{CORE}/fragments/manifest").respond(
        304, headers={"etag": '"v1"', "cache-control": "no-cache"}
    )
    response = await gateway.get("/api/core/fragments/manifest", headers={"if-none-match": '"v1"'})
    assert response.status_code == 304
    assert response.headers["etag"] == '"v1"'


async def test_an_upstreams_cookies_are_never_replayed_for_another_caller(gateway, upstreams):
    upstreams.post(f"{AUTH}/jwt/login").respond(
        200, json={}, headers={"set-cookie": "farm_refresh=secret; Path=/"}
    )
    later = upstreams.post(f"{AUTH}/jwt/refresh").respond(200, json={})
    login = await gateway.post("/api/auth/jwt/login")
    assert login.headers["set-cookie"].startswith("farm_refresh=secret")
    gateway.cookies.clear()
    await gateway.post("/api/auth/jwt/refresh")
    assert "cookie" not in later.calls.last.request.headers
