"""Forwarding: what reaches an upstream, what comes back, and every failure as JSON."""

import asyncio

import orjson

from conftest import free_port
from gateway.app import create_app
from gateway.settings import Upstream
from gateway.tests.conftest import AUTH, CORE, bearer, running


def retries(metrics: str, upstream: str) -> float:
    prefix = f'gateway_upstream_retries_total{{upstream="{upstream}"}} '
    line = next((line for line in metrics.splitlines() if line.startswith(prefix)), None)
    return float(line.removeprefix(prefix)) if line else 0.0


async def answer_ok_once_listening(port: int) -> asyncio.Server:
    """A bare HTTP server on `port` answering every request 200 (started mid-test)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", port)


async def test_method_path_query_body_and_headers_pass_through(gateway, core, member_token):
    core.reply("PUT", "/projects/p 1", 201, json={"ok": True})
    response = await gateway.put(
        "/api/core/projects/p%201?tag=a&tag=b%20c",
        content=b'{"name": "x"}',
        headers={**bearer(member_token), "content-type": "application/json", "x-custom": "1"},
    )
    assert response.status_code == 201
    assert response.json() == {"ok": True}
    sent = core.seen[-1]
    assert sent.target == b"/projects/p%201?tag=a&tag=b%20c"
    assert sent.body == b'{"name": "x"}'
    assert sent.headers["x-custom"] == "1"
    assert sent.headers["authorization"] == f"Bearer {member_token}"
    assert sent.headers["host"] == CORE.removeprefix("http://")


async def test_hop_by_hop_headers_are_dropped_both_ways(gateway, core, member_token):
    core.reply(
        "GET",
        "/projects",
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
    sent = core.seen[-1].headers
    for name in ("x-client-private", "keep-alive", "proxy-authorization", "te"):
        assert name not in sent
    assert "keep-alive" not in response.headers
    assert "x-upstream-secret" not in response.headers


async def test_forwarding_headers_come_from_the_gateway_only(gateway, core, member_token):
    core.reply("GET", "/projects", json=[])
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
    sent = core.seen[-1].headers
    assert sent.get_list("x-forwarded-for") == ["203.0.113.7"]
    assert sent.get_list("x-forwarded-host") == ["gateway.test"]
    assert sent.get_list("x-forwarded-proto") == ["http"]
    assert "forwarded" not in sent
    assert "x-real-ip" not in sent


async def test_a_safe_request_id_is_kept_and_an_unsafe_one_replaced(gateway, core, member_token):
    core.reply("GET", "/projects", json=[])
    kept = await gateway.get(
        "/api/core/projects", headers={**bearer(member_token), "x-request-id": "abc-123"}
    )
    assert kept.headers["x-request-id"] == "abc-123"
    assert core.seen[-1].headers["x-request-id"] == "abc-123"

    replaced = await gateway.get(
        "/api/core/projects",
        headers={**bearer(member_token), "x-request-id": "bad id\twith spaces"},
    )
    new_id = replaced.headers["x-request-id"]
    assert new_id != "bad id\twith spaces" and len(new_id) == 32
    assert core.seen[-1].headers["x-request-id"] == new_id


async def test_bare_prefix_reaches_the_upstream_root(gateway, core, member_token):
    core.reply("GET", "/", json={"service": "core"})
    response = await gateway.get("/api/core", headers=bearer(member_token))
    assert response.json() == {"service": "core"}
    assert core.seen[-1].target == b"/"


async def test_unknown_api_prefix_is_a_json_404_not_the_shell(gateway):
    response = await gateway.get("/api/nothing/here")
    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "API_NOT_FOUND"


async def test_a_slow_upstream_answers_504_naming_it(make_settings, core):
    settings = make_settings(
        routes=[Upstream(name="core", url=CORE, prefix="/api/core", read_timeout_s=0.2)]
    )
    core.reply("GET", "/healthz", json={}, delay_s=1.0)
    async with running(create_app(settings)) as client:
        response = await client.get("/api/core/healthz")
    assert response.status_code == 504
    assert response.json()["detail"] == {
        "code": "UPSTREAM_TIMEOUT",
        "reason": "core did not answer in time",
        "upstream": "core",
    }


def nowhere(**options) -> Upstream:
    """An upstream on a port nothing listens on."""
    url = f"http://127.0.0.1:{free_port()}"
    return Upstream(
        **{"name": "core", "url": url, "prefix": "/api/core", "retry_backoff_s": 0.001, **options}
    )


async def test_an_unreachable_upstream_answers_502_after_retrying_gets(make_settings):
    async with running(create_app(make_settings(routes=[nowhere()]))) as client:
        response = await client.get("/api/core/healthz")
        metrics = (await client.get("/metrics")).text
    assert response.status_code == 502
    assert response.json()["detail"]["code"] == "UPSTREAM_UNREACHABLE"
    assert response.json()["detail"]["upstream"] == "core"
    assert retries(metrics, "core") == 2  # the first try and two retries


async def test_a_retry_that_connects_succeeds(make_settings):
    upstream = nowhere(retry_backoff_s=0.3)
    port = int(str(upstream.url).rstrip("/").rsplit(":", 1)[1])
    async with running(create_app(make_settings(routes=[upstream]))) as client:
        request = asyncio.create_task(client.get("/api/core/healthz"))
        for _ in range(500):  # until the first try has failed
            if retries((await client.get("/metrics")).text, "core"):
                break
            await asyncio.sleep(0.01)
        server = await answer_ok_once_listening(port)  # during the backoff
        response = await request
        server.close()
    assert response.status_code == 200
    assert response.text == "ok"


async def test_posts_are_never_retried(make_settings):
    async with running(create_app(make_settings(routes=[nowhere()]))) as client:
        response = await client.post("/api/core/healthz", json={})
        metrics = (await client.get("/metrics")).text
    assert response.status_code == 502
    assert retries(metrics, "core") == 0


async def test_read_timeouts_are_not_retried(make_settings, core):
    settings = make_settings(
        routes=[Upstream(name="core", url=CORE, prefix="/api/core", read_timeout_s=0.2)]
    )
    core.reply("GET", "/healthz", json={}, delay_s=0.5)
    async with running(create_app(settings)) as client:
        assert (await client.get("/api/core/healthz")).status_code == 504
    assert len(core.calls("/healthz")) == 1


async def test_a_declared_body_over_the_limit_is_413_before_the_upstream(make_settings, auth):
    settings = make_settings(
        routes=[Upstream(name="auth", url=AUTH, prefix="/api/auth", max_body_bytes=100)]
    )
    auth.reply("POST", "/register", 201)
    async with running(create_app(settings)) as client:
        response = await client.post("/api/auth/register", content=b"x" * 101)
    assert response.status_code == 413
    assert response.json()["detail"]["code"] == "BODY_TOO_LARGE"
    assert auth.seen == []


async def test_a_chunked_body_over_the_limit_is_413(make_settings, auth):
    settings = make_settings(
        routes=[Upstream(name="auth", url=AUTH, prefix="/api/auth", max_body_bytes=100)]
    )
    auth.reply("POST", "/register", 201)

    async def chunks():
        for _ in range(5):
            yield b"x" * 40

    async with running(create_app(settings)) as client:
        response = await client.post("/api/auth/register", content=chunks())
    assert response.status_code == 413
    # What the upstream may have seen of it is cut off at the limit.
    assert all(len(seen.body) <= 100 for seen in auth.seen)


async def test_the_upstream_response_headers_and_status_come_back(gateway, core):
    core.reply(
        "GET", "/fragments/manifest", 304, headers={"etag": '"v1"', "cache-control": "no-cache"}
    )
    response = await gateway.get("/api/core/fragments/manifest", headers={"if-none-match": '"v1"'})
    assert response.status_code == 304
    assert response.headers["etag"] == '"v1"'


async def test_an_upstreams_cookies_are_never_replayed_for_another_caller(gateway, auth):
    auth.reply("POST", "/jwt/login", json={}, headers={"set-cookie": "farm_refresh=secret; Path=/"})
    auth.reply("POST", "/jwt/refresh", json={})
    login = await gateway.post("/api/auth/jwt/login")
    assert login.headers["set-cookie"].startswith("farm_refresh=secret")
    gateway.cookies.clear()
    await gateway.post("/api/auth/jwt/refresh")
    assert "cookie" not in auth.calls("/jwt/refresh")[-1].headers


async def test_head_requests_keep_the_upstreams_length_and_carry_no_body(gateway, core):
    core.reply("HEAD", "/healthz", headers={"content-length": "15", "etag": '"h"'})
    response = await gateway.head("/api/core/healthz")
    assert response.status_code == 200
    assert response.headers["content-length"] == "15"
    assert response.headers["etag"] == '"h"'
    assert response.content == b""
    assert core.seen[-1].method == "HEAD"


async def test_a_small_body_cut_short_is_a_502_not_a_truncated_200(make_settings):
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten b")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    upstream = Upstream(name="core", url=f"http://127.0.0.1:{port}", prefix="/api/core")
    async with running(create_app(make_settings(routes=[upstream]))) as client:
        response = await client.get("/api/core/healthz")
    server.close()
    assert response.status_code == 502
    assert response.json()["detail"]["code"] == "UPSTREAM_BAD_RESPONSE"


async def test_a_path_can_never_send_the_request_to_another_host(gateway, auth):
    """`/api/auth%2Fjwt%2F@host:port/...` is a public path once decoded; glued to the
    upstream's address as sent it would name `host:port` as the server."""
    connections: list[bytes] = []

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(await reader.read(65536))
        writer.close()

    elsewhere = await asyncio.start_server(record, "127.0.0.1", 0)
    port = elsewhere.sockets[0].getsockname()[1]
    auth.reply("GET", f"/jwt/@127.0.0.1:{port}/steal", json={"at": "auth"})
    response = await gateway.get(f"/api/auth%2Fjwt%2F@127.0.0.1:{port}/steal")
    elsewhere.close()
    assert response.json() == {"at": "auth"}
    assert connections == []


async def test_an_encoded_prefix_is_stripped_like_a_plain_one(gateway, core, member_token):
    core.reply("GET", "/projects/a b", json=[])
    response = await gateway.get("/api/%63ore/projects/a%20b?x=1", headers=bearer(member_token))
    assert response.status_code == 200
    assert core.seen[-1].target == b"/projects/a%20b?x=1"


async def test_past_max_connections_a_request_waits_then_answers_503_busy(make_settings, core):
    """Our own pool being full says nothing about the upstream: its breaker stays closed."""
    upstream = Upstream(
        name="core",
        url=CORE,
        prefix="/api/core",
        max_connections=1,
        pool_timeout_s=0.2,
        breaker_failure_threshold=1,
    )
    core.reply("GET", "/healthz", json={"ok": True}, delay_s=1.0)
    async with running(create_app(make_settings(routes=[upstream]))) as client:
        first = asyncio.create_task(client.get("/api/core/healthz"))
        for _ in range(500):  # until it holds the one connection
            if core.calls("/healthz"):
                break
            await asyncio.sleep(0.01)
        refused = await client.get("/api/core/healthz")
        assert (await first).status_code == 200
        after = await client.get("/api/core/healthz")
    assert refused.status_code == 503
    assert refused.json()["detail"] == {
        "code": "UPSTREAM_BUSY",
        "reason": "core has too many requests in flight",
        "upstream": "core",
    }
    assert after.status_code == 200
    assert len(core.calls("/healthz")) == 2


async def test_a_client_leaving_mid_body_is_not_held_against_the_upstream(make_settings, auth):
    """The upload is abandoned (400 CLIENT_DISCONNECTED, for the log) and the upstream's
    breaker, opened here by a single failure, stays closed."""
    upstream = Upstream(name="auth", url=AUTH, prefix="/api/auth", breaker_failure_threshold=1)
    auth.reply("POST", "/register", 201, json={"id": "u1"})
    app = create_app(make_settings(routes=[upstream]))
    messages = iter(
        [
            {"type": "http.request", "body": b'{"email": ', "more_body": True},
            {"type": "http.disconnect"},
        ]
    )
    sent: list[dict] = []

    async def receive() -> dict:
        return next(messages)

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/auth/register",
        "raw_path": b"/api/auth/register",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"gateway.test"), (b"transfer-encoding", b"chunked")],
        "client": ("203.0.113.7", 50000),
        "server": ("gateway.test", 80),
    }
    async with running(app) as client:
        await app(scope, receive, send)
        after = await client.post("/api/auth/register", json={"email": "a@example.com"})
    assert sent[0]["status"] == 400
    assert orjson.loads(sent[1]["body"])["code"] == "CLIENT_DISCONNECTED"
    assert after.status_code == 201
