"""Project members must be real accounts: core-api asks the auth service (here a stand-in
serving its internal principal check over real HTTP) before it adds anyone, keeps the
answers briefly, and answers 503, never 200 or 500, when the auth service cannot say."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core_api.app import create_app
from core_api.settings import CoreSettings

from .conftest import free_port


@dataclass
class AuthStandIn:
    """Answers `POST /internal/principals` from `known`; `broken` makes it answer 500,
    `garbled` answer what the contract does not allow, `slow_s` wait that long first."""

    known: set[str] = field(default_factory=set)
    asked: list[list[str]] = field(default_factory=list)
    broken: bool = False
    garbled: bool = False
    slow_s: float = 0.0
    url: str = ""

    async def principals(self, request: Request) -> Response:
        ids = (await request.json())["ids"]
        self.asked.append(ids)
        await asyncio.sleep(self.slow_s)
        if self.broken:
            return Response("boom", status_code=500)
        if self.garbled:
            return JSONResponse({"active": "everyone"})
        return JSONResponse({"active": [i for i in ids if i in self.known]})


@pytest.fixture
async def auth() -> AsyncIterator[AuthStandIn]:
    stand_in = AuthStandIn()
    app = Starlette(routes=[Route("/internal/principals", stand_in.principals, methods=["POST"])])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    stand_in.url = f"http://127.0.0.1:{port}/internal/principals"
    yield stand_in
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=10)


@contextlib.asynccontextmanager
async def core_asking(settings: CoreSettings, **changes) -> AsyncIterator[httpx.AsyncClient]:
    """core-api as deployed: no stand-in checker, it asks the auth service over HTTP."""
    app = create_app(settings.model_copy(update=changes))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://core") as client:
            yield client


@pytest.fixture
async def core(settings, auth) -> AsyncIterator[httpx.AsyncClient]:
    async with core_asking(settings, principals_url=auth.url) as client:
        yield client


async def new_project(client, owner, key="APL") -> str:
    body = {"name": "Apollo", "key": key}
    created = await client.post("/projects", json=body, headers=owner)
    assert created.status_code == 201
    return f"/projects/{created.json()['id']}"


async def put(client, url, member, headers, role="editor"):
    return await client.put(f"{url}/members/{member}", json={"role": role}, headers=headers)


async def test_unknown_ids_are_refused_and_change_nothing(core, auth, headers_for):
    owner = headers_for("alice")
    url = await new_project(core, owner)
    before = (await core.get(url, headers=owner)).json()
    refused = await put(core, url, "not-a-real-user", owner)
    assert refused.status_code == 404
    assert refused.json()["detail"]["code"] == "MEMBER_NOT_FOUND"
    assert auth.asked == [["not-a-real-user"]]
    assert (await core.get(url, headers=owner)).json() == before


async def test_known_users_and_service_accounts_are_added(core, auth, headers_for):
    auth.known = {"bob", "client:reporter"}
    owner = headers_for("alice")
    url = await new_project(core, owner)
    assert (await put(core, url, "bob", owner)).status_code == 200
    added = await put(core, url, "client:reporter", owner, role="viewer")
    assert added.status_code == 200
    assert [(m["user_id"], m["role"]) for m in added.json()["members"]] == [
        ("alice", "owner"),
        ("bob", "editor"),
        ("client:reporter", "viewer"),
    ]
    listed = await core.get("/projects", headers=headers_for("client:reporter"))
    assert [p["name"] for p in listed.json()["items"]] == ["Apollo"]


async def test_only_owners_learn_whether_an_account_exists(core, auth, headers_for):
    auth.known = {"bob"}
    owner = headers_for("alice")
    url = await new_project(core, owner)
    await put(core, url, "bob", owner)
    assert (await put(core, url, "someone", headers_for("bob"))).status_code == 403
    assert (await put(core, url, "someone", headers_for("mallory"))).status_code == 404
    assert ["someone"] not in auth.asked


async def test_answers_are_kept_briefly_yes_longer_than_no(settings, auth, headers_for):
    owner = headers_for("alice")
    async with core_asking(settings, principals_url=auth.url, principals_unknown_ttl_s=0) as client:
        url = await new_project(client, owner)
        assert (await put(client, url, "bob", owner)).status_code == 404
        auth.known.add("bob")  # the account was made a moment after the first try
        assert (await put(client, url, "bob", owner)).status_code == 200
        assert (await client.delete(f"{url}/members/bob", headers=owner)).status_code == 200
        assert (await put(client, url, "bob", owner)).status_code == 200
    assert auth.asked == [["bob"], ["bob"]]  # the "yes" was remembered, the "no" was not

    auth.asked.clear()
    async with core_asking(settings, principals_url=auth.url) as client:
        url = await new_project(client, owner, key="APL2")
        for _ in range(3):
            assert (await put(client, url, "nobody", owner)).status_code == 404
    assert auth.asked == [["nobody"]]


@pytest.mark.parametrize("failure", ["down", "broken", "garbled", "slow"])
async def test_an_auth_service_that_cannot_say_is_503(settings, auth, headers_for, failure):
    unused = f"http://127.0.0.1:{free_port()}/internal/principals"
    changes = {"principals_url": unused if failure == "down" else auth.url}
    auth.broken, auth.garbled = failure == "broken", failure == "garbled"
    if failure == "slow":
        auth.slow_s, changes["principals_timeout_s"] = 1.0, 0.2
    owner = headers_for("alice")
    async with core_asking(settings, **changes) as client:
        url = await new_project(client, owner)
        refused = await put(client, url, "bob", owner)
        assert refused.status_code == 503
        assert refused.json()["detail"]["code"] == "MEMBER_CHECK_UNAVAILABLE"
        members = (await client.get(url, headers=owner)).json()["members"]
        assert [m["user_id"] for m in members] == ["alice"]


async def test_role_changes_and_removals_need_no_answer_from_auth(settings, auth, headers_for):
    auth.known = {"bob"}
    owner = headers_for("alice")
    async with core_asking(settings, principals_url=auth.url) as client:
        url = await new_project(client, owner)
        assert (await put(client, url, "bob", owner)).status_code == 200
    auth.broken = True
    async with core_asking(settings, principals_url=auth.url) as client:
        assert (await put(client, url, "bob", owner, role="owner")).status_code == 200
        assert (await client.delete(f"{url}/members/bob", headers=owner)).status_code == 200
    assert auth.asked == [["bob"]]


def test_the_check_defaults_to_the_auth_service_that_serves_the_keys():
    settings = CoreSettings(jwks_url="http://auth:8001/.well-known/jwks.json")
    assert settings.principals_endpoint == "http://auth:8001/internal/principals"
    given = CoreSettings(principals_url="http://elsewhere/internal/principals")
    assert given.principals_endpoint == "http://elsewhere/internal/principals"
