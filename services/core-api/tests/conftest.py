import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from core_api.app import create_app
from core_api.principals import PrincipalsUnavailable
from core_api.settings import CoreSettings


class FakePrincipals:
    """Stands in for the auth service's account check: every id is a real account unless a
    test names the real ones in `known`, or makes the auth service `unreachable`. The check
    itself (HTTP, cache) is tested against a real server in test_members.py."""

    def __init__(self) -> None:
        self.known: set[str] | None = None
        self.unreachable = False

    async def is_active(self, principal_id: str) -> bool:
        if self.unreachable:
            raise PrincipalsUnavailable("the test made the auth service unreachable")
        return self.known is None or principal_id in self.known


@pytest.fixture
def principals() -> FakePrincipals:
    return FakePrincipals()


@pytest.fixture
def settings(mongodb_uri, database_name, token_issuer) -> CoreSettings:
    return CoreSettings(
        mongodb_uri=mongodb_uri,
        database=database_name,
        jwks_url=token_issuer.jwks_url,
        jwt_issuer=token_issuer.issuer,
        jwt_audience=token_issuer.audience,
    )


@pytest.fixture
async def client(settings, principals) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, principals=principals)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://core") as client:
            yield client


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def live_server_factory(
    principals,
) -> AsyncIterator[Callable[[CoreSettings], Awaitable[tuple[str, FastAPI]]]]:
    """Serves the app with given settings by uvicorn on a free port (streaming responses
    such as SSE need a real server: ASGITransport buffers whole bodies)."""
    servers: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []

    async def serve(settings: CoreSettings) -> tuple[str, FastAPI]:
        app = create_app(settings, principals=principals)
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
        )
        task = asyncio.create_task(server.serve())
        servers.append((server, task))
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
        return f"http://127.0.0.1:{port}", app

    yield serve
    for server, task in servers:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=10)


@pytest.fixture
async def live_server(settings, live_server_factory) -> tuple[str, FastAPI]:
    """(base URL, app) of the app served over real HTTP with the test settings."""
    return await live_server_factory(settings)


@pytest.fixture
def headers_for(token_issuer) -> Callable[..., dict[str, str]]:
    """headers_for("alice") / headers_for("root", ["admin"]): a bearer header for a caller."""

    def headers(subject: str, roles: list[str] | None = None, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_issuer.mint(subject, roles)}", **extra}

    return headers


@pytest.fixture
def make_project(client, headers_for):
    """make_project({user: role}): project "Apollo" (APL) owned by alice, members added by her."""

    async def make(members: dict[str, str]) -> dict:
        owner = headers_for("alice")
        project = (
            await client.post("/projects", json={"name": "Apollo", "key": "APL"}, headers=owner)
        ).json()
        for user, role in members.items():
            await client.put(
                f"/projects/{project['id']}/members/{user}", json={"role": role}, headers=owner
            )
        return project

    return make
