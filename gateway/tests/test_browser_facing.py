"""CORS, security headers, compression and operations endpoints."""

import json

import httpx
import structlog

from conftest import free_port
from gateway.app import create_app
from gateway.tests.conftest import AUTH, CORE, bearer, running


async def test_security_headers_are_on_every_response_and_hsts_only_over_tls(
    make_settings, upstreams, core
):
    core.reply("GET", "/healthz", json={})
    async with running(create_app(make_settings())) as client:
        plain = await client.get("/api/core/healthz")
        rejected = await client.get("/api/core/projects")
    for response in (plain, rejected):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "strict-transport-security" not in response.headers
    async with running(create_app(make_settings(behind_tls=True))) as client:
        behind_tls = await client.get("/healthz")
    assert behind_tls.headers["strict-transport-security"].startswith("max-age=")


async def test_cors_admits_configured_origins_only(make_settings, upstreams, core, member_token):
    core.reply("GET", "/projects", json=[])
    settings = make_settings(cors_origins=["https://app.example"])
    async with running(create_app(settings)) as client:
        preflight = await client.options(
            "/api/core/projects",
            headers={
                "origin": "https://app.example",
                "access-control-request-method": "GET",
                "access-control-request-headers": "authorization",
            },
        )
        allowed = await client.get(
            "/api/core/projects", headers={"origin": "https://app.example", **bearer(member_token)}
        )
        other = await client.get(
            "/api/core/projects", headers={"origin": "https://evil.example", **bearer(member_token)}
        )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://app.example"
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "x-request-id" in allowed.headers["access-control-expose-headers"]
    assert "access-control-allow-origin" not in other.headers


async def test_large_text_is_gzipped_and_small_text_is_not(gateway, core, member_token):
    big = [{"name": f"project {i}", "description": "x" * 50} for i in range(100)]
    core.reply("GET", "/projects", json=big)
    core.reply("GET", "/tiny", json={"a": 1})
    response = await gateway.get(
        "/api/core/projects", headers={**bearer(member_token), "accept-encoding": "gzip"}
    )
    assert response.headers["content-encoding"] == "gzip"
    assert response.json() == big
    tiny = await gateway.get(
        "/api/core/tiny", headers={**bearer(member_token), "accept-encoding": "gzip"}
    )
    assert "content-encoding" not in tiny.headers


async def test_event_streams_and_binary_bodies_are_never_gzipped(gateway, core, member_token):
    events = "".join(f"id: {i}\ndata: {'x' * 100}\n\n" for i in range(50))
    core.reply(
        "GET", "/events", content=events.encode(), headers={"content-type": "text/event-stream"}
    )
    core.reply(
        "GET", "/blob", content=b"\0" * 10_000, headers={"content-type": "application/octet-stream"}
    )
    for path in ("/api/core/events", "/api/core/blob"):
        response = await gateway.get(
            path, headers={**bearer(member_token), "accept-encoding": "gzip"}
        )
        assert "content-encoding" not in response.headers
        assert response.status_code == 200


async def test_metrics_count_requests_by_route_status_and_upstream(gateway, core):
    core.reply("GET", "/healthz", json={})
    await gateway.get("/api/core/healthz")
    metrics = (await gateway.get("/metrics")).text
    assert (
        'gateway_requests_total{method="GET",route="/api/core",status="200",upstream="core"} 1.0'
        in metrics
    )
    assert 'gateway_upstream_response_seconds_count{upstream="core"} 1.0' in metrics
    assert "gateway_requests_in_flight" in metrics


async def test_one_access_log_line_per_request_with_upstream_timing(
    make_settings, upstreams, core, capsys
):
    core.reply("GET", "/healthz", json={})
    async with running(create_app(make_settings(log_level="INFO"))) as client:
        capsys.readouterr()
        await client.get("/api/core/healthz", headers={"x-request-id": "trace-1"})
        output = capsys.readouterr().out
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("message") == "request"]
    assert len(access) == 1
    assert access[0]["request_id"] == "trace-1"
    assert access[0]["upstream"] == "core"
    assert access[0]["status"] == 200
    assert access[0]["upstream_ms"] >= 0


async def test_lines_logged_while_serving_carry_the_request_id_and_only_then(
    make_settings, upstreams, capsys
):
    settings = make_settings(log_level="INFO", core_url=f"http://127.0.0.1:{free_port()}")
    async with running(create_app(settings)) as client:
        capsys.readouterr()
        answer = await client.get("/api/core/healthz", headers={"x-request-id": "trace-2"})
        output = capsys.readouterr().out
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    failure = [line for line in lines if line.get("message") == "upstream request failed"]
    assert answer.status_code == 502
    assert [line["request_id"] for line in failure] == ["trace-2"]
    # The in-process client runs the app in this very task: the binding must not outlive it.
    assert "request_id" not in structlog.contextvars.get_contextvars()


async def test_readyz_reports_upstreams_store_and_breakers(gateway, upstreams):
    upstreams.get(f"{AUTH}/readyz").respond(
        200, json={"status": "ok", "checks": {"store": {"status": "ok"}}}
    )
    upstreams.get(f"{CORE}/readyz").mock(side_effect=httpx.ConnectError("refused"))
    response = await gateway.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert set(body["checks"]) == {"auth", "core", "store"}
    assert body["checks"]["auth"] == {
        "status": "ok",
        "store": {"status": "ok"},
        "breaker": "closed",
    }
    assert body["checks"]["core"]["status"] == "down"
    assert body["checks"]["core"]["breaker"] == "closed"
