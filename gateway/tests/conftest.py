"""Gateway test fixtures: an in-process gateway whose upstreams respx stands in for, and
helpers to run real servers (the gateway or a test upstream) on free ports."""

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import pytest
import respx
import uvicorn
from fastapi import FastAPI

from conftest import free_port, wait_for_port
from gateway.app import create_app
from gateway.settings import GatewaySettings

AUTH = "http://auth.test"
CORE = "http://core.test"
SHELL = "http://shell.test"


@contextmanager
def serve_in_thread(app: Any, **config: Any) -> Iterator[str]:
    """Runs an ASGI app under a real uvicorn on a free port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port("127.0.0.1", port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def make_settings(token_issuer) -> Callable[..., GatewaySettings]:
    def make(**overrides: Any) -> GatewaySettings:
        values: dict[str, Any] = {
            "auth_url": AUTH,
            "core_url": CORE,
            "shell_url": SHELL,
            "jwks_url": token_issuer.jwks_url,
            "jwt_issuer": token_issuer.issuer,
            "jwt_audience": token_issuer.audience,
            "log_level": "WARNING",
            **overrides,
        }
        return GatewaySettings(**values)

    return make


@pytest.fixture
def upstreams(token_issuer) -> Iterator[respx.MockRouter]:
    """respx stands in for auth, core and the shell host; the JWKS stays real HTTP."""
    with respx.mock(assert_all_called=False) as router:
        router.route(url=token_issuer.jwks_url).pass_through()
        yield router


@asynccontextmanager
async def running(app: FastAPI, **client_options: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client for an app whose lifespan runs around it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://gateway.test", **client_options
        ) as client:
            yield client


@pytest.fixture
async def gateway(make_settings, upstreams) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway with default settings (test upstreams), driven in process."""
    async with running(create_app(make_settings())) as client:
        yield client


@pytest.fixture
def member_token(token_issuer) -> str:
    return token_issuer.mint("user-1", ["member"])


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}
