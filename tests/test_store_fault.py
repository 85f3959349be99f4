"""The store dies under a running platform: readiness says so within 2 s, naming the store,
and turns green again once the store is back, without restarting any service."""

import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from conftest import free_port, start_ferretdb
from tests.support.services import start_service


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[dict]:
    store_port, auth_port, core_port, gateway_port = (free_port() for _ in range(4))
    store = start_ferretdb(tmp_path / "store", store_port)
    env = os.environ | {
        "MONGODB_URI": f"mongodb://127.0.0.1:{store_port}",
        "AUTH_PORT": str(auth_port),
        "CORE_PORT": str(core_port),
        "GATEWAY_PORT": str(gateway_port),
        "GATEWAY_AUTH_URL": f"http://127.0.0.1:{auth_port}",
        "GATEWAY_CORE_URL": f"http://127.0.0.1:{core_port}",
    }
    services = [
        start_service("auth_service", env, auth_port),
        start_service("core_api", env, core_port),
        start_service("gateway", env, gateway_port),
    ]
    state = {
        "store": store,
        "store_port": store_port,
        "data_dir": tmp_path / "store",
        "urls": {
            "auth": f"http://127.0.0.1:{auth_port}/readyz",
            "core": f"http://127.0.0.1:{core_port}/readyz",
            "gateway": f"http://127.0.0.1:{gateway_port}/readyz",
        },
    }
    yield state
    for process in [*services, state["store"]]:
        process.terminate()
    for process in [*services, state["store"]]:
        process.wait(timeout=15)


def _wait_for_status(url: str, status: int, within_s: float) -> httpx.Response:
    deadline = time.monotonic() + within_s
    while True:
        response = httpx.get(url, timeout=within_s)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.1)


def _first_503(url: str) -> tuple[httpx.Response, float]:
    response = _wait_for_status(url, 503, within_s=2)
    return response, time.monotonic()


def test_readiness_follows_the_store_down_and_back_up(platform):
    for url in platform["urls"].values():
        assert _wait_for_status(url, 200, within_s=10).status_code == 200

    platform["store"].kill()  # SIGKILL: no goodbye to the clients
    platform["store"].wait()
    killed_at = time.monotonic()
    with ThreadPoolExecutor() as pool:
        answers = dict(
            zip(platform["urls"], pool.map(_first_503, platform["urls"].values()), strict=True)
        )
    for name, (response, seconds) in answers.items():
        assert response.status_code == 503, f"{name} still says ready"
        assert response.json()["checks"]["store"]["status"] == "down"
        assert seconds - killed_at < 2.0, f"{name} took {seconds - killed_at:.2f}s to notice"
    gateway_checks = httpx.get(platform["urls"]["gateway"], timeout=3).json()["checks"]
    assert gateway_checks["auth"]["status"] == "down" and gateway_checks["core"]["status"] == "down"

    platform["store"] = start_ferretdb(platform["data_dir"], platform["store_port"])
    for name, url in platform["urls"].items():
        assert _wait_for_status(url, 200, within_s=10).status_code == 200, f"{name} did not recover"
