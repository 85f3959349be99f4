"""Gateway test fixtures: an in-process gateway in front of real test upstreams (small HTTP
servers that answer what a test tells them and record what reached them), respx for the
gateway's own calls (readiness, API docs, the shell page's files and manifest), and helpers
to run real servers on free ports."""

import asyncio
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest
import respx
import uvicorn
from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from conftest import wait_for_port
from gateway.app import create_app
from gateway.settings import GatewaySettings


def _listening_socket() -> socket.socket:
    """A socket bound to a free port now, so the port stays ours until a server takes it."""
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    listening.listen(128)
    return listening


# The test upstreams' sockets (their servers start once per session: `services` fixture).
_SOCKETS = {name: _listening_socket() for name in ("auth", "core", "shell")}
AUTH, CORE, SHELL = (
    f"http://127.0.0.1:{_SOCKETS[name].getsockname()[1]}" for name in ("auth", "core", "shell")
)


@dataclass
class Seen:
    """One request as it reached a test upstream."""

    method: str
    target: bytes  # raw path and query, encoding kept
    headers: httpx.Headers
    body: bytes


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    delay_s: float = 0.0


class ScriptedUpstream:
    """A real HTTP server standing in for a service: it answers each (method, path) as a test
    told it (404 otherwise) and records every request that reached it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.replies: dict[tuple[str, str], Reply] = {}
        self.seen: list[Seen] = []

    def reset(self) -> None:
        self.replies.clear()
        self.seen.clear()

    def reply(
        self,
        method: str,
        path: str,
        status: int = 200,
        *,
        json: Any = None,
        content: bytes = b"",
        headers: dict[str, str] | None = None,
        delay_s: float = 0.0,
    ) -> None:
        raw_headers = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        if json is not None:
            content = orjson.dumps(json)
            raw_headers.append((b"content-type", b"application/json"))
        declared = any(name == b"content-length" for name, _ in raw_headers)
        if not declared and status not in (204, 304):
            raw_headers.append((b"content-length", str(len(content)).encode()))
        self.replies[(method, path)] = Reply(status, content, raw_headers, delay_s)

    def calls(self, path: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.target.split(b"?")[0] == path.encode()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        query = scope["query_string"]
        target = scope["raw_path"] + (b"?" + query if query else b"")
        headers = httpx.Headers([(k.decode(), v.decode()) for k, v in scope["headers"]])
        self.seen.append(Seen(scope["method"], target, headers, body))
        reply = self.replies.get((scope["method"], scope["path"]), Reply(404, b"not here"))
        await asyncio.sleep(reply.delay_s)
        await send(
            {"type": "http.response.start", "status": reply.status, "headers": reply.headers}
        )
        await send({"type": "http.response.body", "body": reply.body})


@pytest.fixture(scope="session")
def services() -> Iterator[dict[str, ScriptedUpstream]]:
    fakes = {url: ScriptedUpstream(url) for url in (AUTH, CORE, SHELL)}
    with ExitStack() as stack:
        for url, listening in zip(fakes, _SOCKETS.values(), strict=True):
            stack.enter_context(serve_in_thread(fakes[url], listening=listening))
        yield fakes


@pytest.fixture
def auth(services) -> ScriptedUpstream:
    services[AUTH].reset()
    return services[AUTH]


@pytest.fixture
def core(services) -> ScriptedUpstream:
    services[CORE].reset()
    return services[CORE]


@pytest.fixture
def shell(services) -> ScriptedUpstream:
    services[SHELL].reset()
    return services[SHELL]


@contextmanager
def serve_in_thread(
    app: Any, listening: socket.socket | None = None, **config: Any
) -> Iterator[str]:
    """Runs an ASGI app under a real uvicorn on a free port (or an already bound socket);
    yields its base URL."""
    listening = listening or _listening_socket()
    port = listening.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
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
def upstreams(token_issuer, auth, core, shell) -> Iterator[respx.MockRouter]:
    """respx answers the gateway's own calls to auth, core and the shell host (proxied
    requests reach the test upstreams for real); the JWKS stays real HTTP."""
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
