"""Fixtures for the fragment registry's tests: a real static host serving fragment bytes over
HTTP (what the registry fetches and hashes), settings allowing its origin, and a small
client that speaks the registry's API with the right tokens."""

import base64
import hashlib
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conftest import free_port, wait_for_port
from core_api.app import create_app


def integrity_of(content: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


class FragmentHost:
    """Serves whatever a test puts on it, like a fragment's static host or CDN."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[int, bytes, dict[str, str]]] = {}
        self.origin = ""
        self.requests: list[str] = []

    def put(
        self,
        content: bytes,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        file: str = "entry.js",
    ):
        """Serves `content` under a fresh path; returns (url, integrity)."""
        path = f"/{uuid.uuid4().hex[:12]}/{file}"
        self.files[path] = (status, content, headers or {})
        return f"{self.origin}{path}", integrity_of(content)

    def put_at(self, path: str, content: bytes) -> str:
        self.files[path] = (200, content, {})
        return f"{self.origin}{path}"

    async def serve(self, request: Request) -> Response:
        self.requests.append(request.url.path)
        status, content, headers = self.files.get(request.url.path, (404, b"not found", {}))
        return Response(content, status, headers, media_type="text/javascript")


def _serving(address: str) -> Iterator[FragmentHost]:
    host = FragmentHost()
    app = Starlette(routes=[Route("/{path:path}", host.serve)])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host=address, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(address, port)
    host.origin = f"http://{address}:{port}"
    yield host
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def fragment_host() -> Iterator[FragmentHost]:
    """On the platform's policy (the settings below list its origin)."""
    yield from _serving("127.0.0.1")


@pytest.fixture(scope="session")
def team_cdn() -> Iterator[FragmentHost]:
    """A fragment team's own host, on no policy: 127.0.0.2 is this machine, but not one of
    the loopback names development admits (localhost, 127.0.0.1, [::1])."""
    yield from _serving("127.0.0.2")


class AuthUsers:
    """Stands in for the auth service's admin user list (`GET /users?ids=`): every user has
    the e-mail `<id>@example.com`; `broken` makes it answer 500. Records the tokens sent."""

    def __init__(self) -> None:
        self.url = ""
        self.broken = False
        self.tokens: list[str] = []

    async def users(self, request: Request) -> Response:
        self.tokens.append(request.headers.get("authorization", ""))
        if self.broken:
            return Response("boom", status_code=500)
        ids = request.query_params.get("ids", "").split(",")
        items = [{"id": i, "email": f"{i}@example.com", "is_active": True} for i in ids if i]
        return JSONResponse({"items": items, "next": None})


@pytest.fixture(scope="session")
def auth_users_server() -> Iterator[AuthUsers]:
    stand_in = AuthUsers()
    app = Starlette(routes=[Route("/users", stand_in.users)])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port("127.0.0.1", port)
    stand_in.url = f"http://127.0.0.1:{port}/users"
    yield stand_in
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def auth_users(auth_users_server) -> AuthUsers:
    auth_users_server.broken = False
    auth_users_server.tokens.clear()
    return auth_users_server


@pytest.fixture
async def core_app(settings, principals) -> AsyncIterator[FastAPI]:
    app = create_app(settings, principals=principals)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(core_app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=core_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://core") as client:
        yield client


@pytest.fixture
def emitted(core_app):
    """The live events published so far, as (type, data)."""
    return lambda: [(event.type, event.data) for event in core_app.state.events.buffer]


@pytest.fixture
def settings(settings, fragment_host, auth_users):
    return settings.model_copy(
        update={
            "auth_users_url": auth_users.url,
            "fragment_allowed_origins": [fragment_host.origin],
            "fragment_fetch_timeout_s": 2.0,
            "canary_min_reporters": 10,
            "canary_failure_threshold": 0.2,
        }
    )


@dataclass
class Registry:
    """The registry's API as the tests use it: one call per action, tokens chosen by role."""

    client: httpx.AsyncClient
    host: FragmentHost
    issuer: Any

    def token(self, subject: str, *roles: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.issuer.mint(subject, list(roles))}"}

    @property
    def admin(self) -> dict[str, str]:
        return self.token("admin-1", "admin")

    def publisher(self, fragment: str) -> dict[str, str]:
        return self.token(f"client:{fragment}-ci", f"publisher:{fragment}")

    async def register(self, name: str, roles: list[str] | None = None) -> httpx.Response:
        body = {"name": name, "description": f"The {name} fragment", "roles": roles or ["member"]}
        response = await self.client.post("/fragments", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        return response

    def version_body(
        self, version: str, *, routes: list[str] | None = None, content: bytes | None = None
    ) -> dict[str, Any]:
        entry, integrity = self.host.put(content or f"export const v = '{version}';".encode())
        return {
            "version": version,
            "entry": entry,
            "integrity": integrity,
            "routes": routes or ["/reports/*"],
            "nav": {"label": "Reports", "icon": "chart", "order": 10},
            "contract": "1",
        }

    def stylesheet(self, content: bytes = b".report{color:teal}") -> dict[str, str]:
        """A stylesheet served by the host, listed the way the publish tool lists it."""
        url, integrity = self.host.put(content, file="entry.css")
        return {"url": url, "integrity": integrity}

    async def publish(self, name: str, version: str, **changes: Any) -> httpx.Response:
        body = self.version_body(version, routes=changes.pop("routes", None)) | changes
        return await self.client.post(
            f"/fragments/{name}/versions", json=body, headers=self.publisher(name)
        )

    async def act(self, name: str, action: str, body: dict | None = None) -> httpx.Response:
        return await self.client.post(
            f"/fragments/{name}/{action}", json=body, headers=self.publisher(name)
        )

    async def live(self, name: str, *versions: str) -> None:
        """Registers `name`, publishes `versions` and activates the first."""
        await self.register(name)
        for version in versions:
            assert (await self.publish(name, version)).status_code == 201
        assert (await self.act(name, "activate", {"version": versions[0]})).status_code == 200

    async def manifest(self, headers: dict[str, str] | None = None, **params: Any):
        response = await self.client.get("/fragments/manifest", headers=headers, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    async def audit(self, action: str) -> list[dict[str, Any]]:
        response = await self.client.get("/audit", params={"action": action}, headers=self.admin)
        assert response.status_code == 200, response.text
        return response.json()["items"]


@pytest.fixture
def registry(client, fragment_host, token_issuer) -> Registry:
    return Registry(client, fragment_host, token_issuer)
