"""The platform in production mode behind a real nginx, as `make prod` starts it: gunicorn with
uvicorn workers for every service, production settings, Redis between the worker processes,
TLS and HTTP/2 at the edge. Checked the way a user and an operator meet it: over HTTPS only."""

import json
import re
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect, sync_playwright
from pymongo import MongoClient

from conftest import ROOT
from tests.deploy.helpers import curl, headers_of
from tests.deploy.prod_platform import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ProductionPlatform,
    production_env,
    read_events,
    sign_in,
)
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

ARTIFACTS = ROOT / "test-artifacts" / "deploy"


@pytest.fixture(scope="module")
def platform(tmp_path_factory, mongodb_uri):
    # Heartbeats every second tell an SSE client early that its stream is subscribed.
    env = production_env(tmp_path_factory.mktemp("prod"), mongodb_uri, CORE_EVENTS_HEARTBEAT_S="1")
    running = ProductionPlatform(env)
    running.wait_until_ready()
    running.create_admin()
    yield running
    if running.process.poll() is None:
        running.press_ctrl_c()
    with MongoClient(mongodb_uri) as client:
        client.drop_database(env["AUTH_DATABASE"])
        client.drop_database(env["CORE_DATABASE"])


@pytest.fixture
def browser_like(platform):
    # The dev certificate is self-signed: trust exactly it.
    certificate = Path(platform.env["PROD_TLS_DIR"], "dev-cert.pem")
    trust = ssl.create_default_context(cafile=certificate)
    with httpx.Client(base_url=platform.url, verify=trust, timeout=30) as client:
        yield client


def test_readyz_answers_over_https_and_http2_through_nginx(platform):
    result = curl(f"{platform.url}/readyz")

    status, headers = headers_of(result.stdout)
    assert status.startswith("HTTP/2 200"), result.stdout + platform.tail()
    assert headers["content-type"] == "application/json"
    assert '"store":{"status":"ok"}' in result.stdout.replace(" ", "")
    assert headers["x-request-id"]


def test_the_request_id_a_client_sends_comes_back(platform):
    result = curl(f"{platform.url}/healthz", "-H", "X-Request-ID: trace-4711")
    assert headers_of(result.stdout)[1]["x-request-id"] == "trace-4711"


def test_the_gateway_sees_the_clients_own_address_forwarded_by_nginx(platform):
    # Another loopback address stands in for a remote client; nginx connects from 127.0.0.1.
    # A forged X-Forwarded-For from the client is replaced by nginx, not believed.
    result = curl(
        f"{platform.url}/healthz",
        "--interface",
        "127.0.0.2",
        "-H",
        "X-Request-ID: from-afar",
        "-H",
        "X-Forwarded-For: 203.0.113.9",
    )
    assert headers_of(result.stdout)[0].startswith("HTTP/2 200"), result.stderr

    platform.read_available_output()
    lines = [line for line in platform.output if "from-afar" in line and "gateway" in line]
    assert lines, platform.tail()
    access_line = json.loads(lines[-1][lines[-1].index("{") :])
    assert access_line["client"] == "127.0.0.2"


def test_the_shell_page_is_served_and_compressed(platform):
    result = curl(f"{platform.url}/", "-H", "Accept-Encoding: gzip", "-o", "/dev/null")

    status, headers = headers_of(result.stdout)
    assert status.startswith("HTTP/2 200")
    assert headers["content-type"].startswith("text/html")
    assert headers.get("content-encoding") == "gzip"


def test_a_trickled_sign_in_body_holds_only_nginx_and_is_cut_off(platform, browser_like):
    """nginx buffers a body whole before the gateway sees it, so a trickling client holds no
    gateway or auth slot; once bytes stop coming for client_body_timeout nginx closes the
    connection (it logs a 408 and, as nginx does for a timed-out client, sends nothing)."""
    certificate = Path(platform.env["PROD_TLS_DIR"], "dev-cert.pem")
    trust = ssl.create_default_context(cafile=certificate)
    trust.set_alpn_protocols(["http/1.1"])
    host, port = platform.url.removeprefix("https://").split(":")
    raw = socket.create_connection((host, int(port)), timeout=40)
    with trust.wrap_socket(raw, server_hostname=host) as trickler:
        trickler.sendall(
            b"POST /api/auth/jwt/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n"
        )
        for _ in range(4):
            trickler.sendall(b"x")
            signed_in = sign_in(browser_like)
            assert signed_in.status_code == 200, signed_in.text
        # Closed by nginx well before this socket's own 40 s timeout would raise.
        assert trickler.recv(65536) == b""


def test_no_source_map_is_served(platform):
    state = Path(platform.env["PROD_STATE_DIR"])
    shell_map = next((ROOT / "mfe-shell/dist/assets").glob("*.js.map"))
    fragment_map = next((state / "fragments").glob("*/*/*.map"))
    for path in (
        f"/shell/assets/{shell_map.name}",
        "/fragments/" + fragment_map.relative_to(state / "fragments").as_posix(),
    ):
        status, _ = headers_of(curl(f"{platform.url}{path}").stdout)
        assert status.startswith("HTTP/2 404"), path


def test_metrics_are_only_on_the_gateways_own_address_with_its_token(platform):
    secrets = Path(platform.env["PROD_STATE_DIR"], "secrets.env").read_text()
    token = re.search(r"^GATEWAY_METRICS_TOKEN=(\S+)$", secrets, re.M).group(1)
    gateway = f"http://127.0.0.1:{platform.env['GATEWAY_PORT']}/metrics"

    public = headers_of(curl(f"{platform.url}/metrics").stdout)[0]
    without_token = httpx.get(gateway, timeout=10)
    scraped = httpx.get(gateway, headers={"authorization": f"Bearer {token}"}, timeout=10)

    assert public.startswith("HTTP/2 404")
    assert without_token.status_code == 401
    assert scraped.status_code == 200
    assert "gateway_requests_total" in scraped.text


def test_sign_in_through_nginx_sets_secure_cookies_because_the_scheme_is_forwarded(browser_like):
    response = sign_in(browser_like)

    assert response.status_code == 200, response.text
    refresh = next(c for c in response.headers.get_list("set-cookie") if "farm_refresh=" in c)
    assert "secure" in refresh.lower()
    assert "httponly" in refresh.lower()


def test_every_event_reaches_an_sse_client_across_worker_processes_unbuffered(browser_like):
    token = sign_in(browser_like).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    keys = [f"P{n}X" for n in range(6)]
    received: list[dict] = []
    timeout = httpx.Timeout(10, read=30)

    with browser_like.stream("GET", "/api/core/events", headers=auth, timeout=timeout) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        subscribed = threading.Event()
        reader = threading.Thread(
            target=lambda: received.extend(read_events(stream, 6, 60, subscribed))
        )
        reader.start()
        assert subscribed.wait(timeout=20)
        for key in keys:
            created = browser_like.post(
                "/api/core/projects", json={"name": f"Project {key}", "key": key}, headers=auth
            )
            assert created.status_code == 201, created.text
        reader.join(timeout=70)

    names = [event["data"].get("data", event["data"]).get("key") for event in received]
    assert sorted(filter(None, names)) == sorted(keys), received


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run 'make setup-test'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_a_user_signs_in_and_sees_the_dashboard_in_chromium_over_https(platform, chromium):
    # make prod published this checkout's fragments (on /fragments/ of its own origin) before
    # it said it was ready. The certificate is self-signed; the browser is told to accept it, nothing else differs.
    context = chromium.new_context(base_url=platform.url, ignore_https_errors=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    page.goto("/login")
    page.get_by_label("E-mail").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard", timeout=30_000)

    expect(page.get_by_role("heading", name="Team dashboard")).to_be_visible(timeout=20_000)
    # The live indicator turns to "Live" once its event stream is open through nginx.
    live = page.get_by_role("status").filter(has_text=re.compile(r"Live|Connecting|Reconnecting"))
    expect(live).to_have_text(re.compile(r"\bLive$"), timeout=20_000)
    expect(page.get_by_text("Loading figures…")).to_have_count(0, timeout=20_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "prod-dashboard.png"), full_page=True)
    context.close()
    assert errors == []
    assert [url for url in failed if "/api/core/events" not in url] == []


def test_ctrl_c_stops_every_process_and_frees_every_port(platform):
    assert platform.press_ctrl_c() in (0, 130, -2)
    ports = [v for k, v in platform.env.items() if k.endswith("_PORT")]
    still_open = [
        port
        for port in ports
        if subprocess.run(
            ["bash", "-c", f"echo > /dev/tcp/127.0.0.1/{port}"], capture_output=True
        ).returncode
        == 0
    ]
    assert still_open == []
    assert not Path(platform.env["PROD_STATE_DIR"], "nginx/nginx.pid").exists()
