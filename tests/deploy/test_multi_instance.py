"""Several instances of the stateless services, as in a scaled-out deployment: each process
runs under the production process model (infra/prod/gunicorn.sh) and they share a real
redis-server. Two gateways behind nginx share rate limits; two core-api processes deliver every
event to every SSE client whichever process took the write; killing one instance loses no
acknowledged write and the other keeps serving."""

import json
import os
import secrets
import signal
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from conftest import ROOT, free_port, redis_server
from tests.deploy.helpers import render_nginx_for_gateways, require
from tests.deploy.prod_platform import read_events


class Instance:
    """One platform process under gunicorn, in its own process group."""

    def __init__(self, name: str, port: int, env: dict[str, str]) -> None:
        self.name = name
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [ROOT / "infra/prod/gunicorn.sh", name],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def wait_until_ready(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read() if self.process.stdout else ""
                pytest.fail(f"{self.name} exited:\n{output[-4000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        pytest.fail(f"{self.name} on {self.url} not ready after {timeout_s}s")

    def kill(self) -> None:
        """SIGKILL to the whole group: the master and its workers die without a goodbye."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def redis_url() -> Iterator[str]:
    require("redis-server")  # deploy tests fail, rather than skip, without their tools
    with redis_server() as url:
        yield url


@pytest.fixture
def start() -> Iterator[Callable[..., Instance]]:
    started: list[Instance] = []

    def start_instance(name: str, port: int, **settings: str) -> Instance:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("AUTH_", "CORE_", "GATEWAY_"))
        }
        env |= {"PATH": f"{ROOT / '.venv/bin'}:{os.environ['PATH']}", "WEB_CONCURRENCY": "1"}
        instance = Instance(name, port, env | settings)
        started.append(instance)
        instance.wait_until_ready()
        return instance

    yield start_instance
    for instance in started:
        instance.stop()


@pytest.fixture
def core_settings(mongodb_uri, database_name, redis_url, token_issuer) -> dict[str, str]:
    return {
        "CORE_ENVIRONMENT": "production",
        "MONGODB_URI": mongodb_uri,
        "CORE_DATABASE": database_name,
        "CORE_JWKS_URL": token_issuer.jwks_url,
        "CORE_JWT_ISSUER": token_issuer.issuer,
        "CORE_FRAGMENT_OVERRIDE_SECRET": secrets.token_hex(32),
        "CORE_CURSOR_SECRET": secrets.token_hex(32),
        "CORE_EVENTS_REDIS_URL": f"{redis_url}/0",
        "CORE_EVENTS_HEARTBEAT_S": "1",
    }


def _core(start, settings: dict[str, str]) -> Instance:
    port = free_port()
    return start("core", port, CORE_PORT=str(port), **settings)


def _listen(url: str, token: str, wanted: int, into: list[dict]) -> threading.Thread:
    """Collects `wanted` events from one SSE connection in the background; returns once the
    server has subscribed it (its first heartbeat arrived)."""
    subscribed = threading.Event()

    def run() -> None:
        headers = {"Authorization": f"Bearer {token}"}
        timeout = httpx.Timeout(10, read=20)
        with httpx.stream("GET", f"{url}/events", headers=headers, timeout=timeout) as stream:
            into.extend(read_events(stream, wanted, 30, subscribed))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert subscribed.wait(timeout=20), f"no heartbeat from {url}/events"
    return thread


def _create_project(url: str, token: str, key: str) -> httpx.Response:
    return httpx.post(
        url,
        json={"name": f"Project {key}", "key": key},
        headers={"Authorization": f"Bearer {token}"},
        timeout=15,
    )


def _event_keys(events: list[dict]) -> set[str]:
    keys = set()
    for event in events:
        payload = event["data"].get("data", event["data"])
        if isinstance(payload, dict) and "key" in payload:
            keys.add(payload["key"])
    return keys


def test_every_sse_client_gets_every_event_whichever_core_process_took_the_write(
    start, core_settings, token_issuer
):
    first, second = _core(start, core_settings), _core(start, core_settings)
    token = token_issuer.mint("user-1", ["admin"])
    keys = [f"K{n}A" for n in range(6)]
    on_first: list[dict] = []
    on_second: list[dict] = []
    listeners = [
        _listen(first.url, token, len(keys), on_first),
        _listen(second.url, token, len(keys), on_second),
    ]

    for index, key in enumerate(keys):
        target = (first, second)[index % 2]
        assert _create_project(f"{target.url}/projects", token, key).status_code == 201

    for thread in listeners:
        thread.join(timeout=30)
    assert _event_keys(on_first) == set(keys)
    assert _event_keys(on_second) == set(keys)


def test_killing_one_core_process_loses_no_acknowledged_write(start, core_settings, token_issuer):
    doomed, survivor = _core(start, core_settings), _core(start, core_settings)
    token = token_issuer.mint("user-1", ["admin"])
    acknowledged: list[str] = []
    for n in range(4):
        target = (doomed, survivor)[n % 2]
        if _create_project(f"{target.url}/projects", token, f"B{n}X").status_code == 201:
            acknowledged.append(f"B{n}X")
    later: list[dict] = []
    listener = _listen(survivor.url, token, 3, later)

    doomed.kill()

    for n in range(4, 7):
        response = _create_project(f"{survivor.url}/projects", token, f"B{n}X")
        assert response.status_code == 201, response.text
        acknowledged.append(f"B{n}X")
    listener.join(timeout=30)
    listed = httpx.get(
        f"{survivor.url}/projects",
        params={"limit": 100},
        headers={"Authorization": f"Bearer {token}"},
        timeout=15,
    ).json()
    assert {p["key"] for p in listed["items"]} >= set(acknowledged)
    assert len(acknowledged) == 7
    assert _event_keys(later) == {"B4X", "B5X", "B6X"}


@pytest.fixture
def two_gateways_behind_nginx(
    start, core_settings, token_issuer, redis_url, tmp_path, tls_dir, run_nginx
):
    core = _core(start, core_settings)
    limits = [{"group": "core", "paths": ["/api/core/*"], "per_client": "8/minute"}]
    gateways = []
    for _ in range(2):
        port = free_port()
        gateways.append(
            start(
                "gateway",
                port,
                GATEWAY_PORT=str(port),
                GATEWAY_CORE_URL=core.url,
                GATEWAY_AUTH_URL=f"http://127.0.0.1:{free_port()}",
                GATEWAY_JWKS_URL=token_issuer.jwks_url,
                GATEWAY_JWT_ISSUER=token_issuer.issuer,
                GATEWAY_RATE_LIMIT_STORAGE_URL=f"{redis_url}/2",
                GATEWAY_RATE_LIMITS=json.dumps(limits),
            )
        )
    https_port = free_port()
    config = render_nginx_for_gateways(
        tmp_path / "nginx", tls_dir, https_port, [g.url.removeprefix("http://") for g in gateways]
    )
    run_nginx(config, https_port)
    edge = httpx.Client(
        base_url=f"https://127.0.0.1:{https_port}",
        verify=ssl.create_default_context(cafile=Path(tls_dir) / "dev-cert.pem"),
        timeout=15,
    )
    yield edge, gateways
    edge.close()


def test_two_gateways_share_one_rate_limit_through_redis(two_gateways_behind_nginx):
    edge, _ = two_gateways_behind_nginx

    responses = [edge.get("/api/core/healthz") for _ in range(12)]

    assert [r.status_code for r in responses] == [200] * 8 + [429] * 4
    # nginx alternates between the gateways; one shared counter still counts down by one.
    remaining = [int(r.headers["ratelimit-remaining"]) for r in responses[:8]]
    assert remaining == list(range(7, -1, -1))


def test_killing_one_gateway_leaves_the_other_serving(two_gateways_behind_nginx, token_issuer):
    edge, (doomed, _) = two_gateways_behind_nginx
    token = token_issuer.mint("user-2", ["admin"])
    headers = {"Authorization": f"Bearer {token}"}

    doomed.kill()

    answers = [edge.get("/healthz").status_code for _ in range(6)]
    created = edge.post(
        "/api/core/projects", json={"name": "After", "key": "AFTER"}, headers=headers
    )
    assert answers == [200] * 6
    assert created.status_code == 201, created.text
    listed = edge.get("/api/core/projects", headers=headers).json()
    assert "AFTER" in {p["key"] for p in listed["items"]}
