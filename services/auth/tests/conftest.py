"""An auth app per test on the real store, with its own signing keys, a real SMTP server
(aiosmtpd) catching its mail, and helpers to make accounts."""

import asyncio
import email.message
import re
import shutil
import socket
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from auth_service.accounts import user_manager
from auth_service.app import create_app
from auth_service.keys import generate_key
from auth_service.schemas import UserCreate, UserUpdate
from auth_service.settings import AuthSettings

PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox(Message):
    """Every mail the SMTP server receives, parsed."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[email.message.Message] = []

    def handle_message(self, message: email.message.Message) -> None:
        self.messages.append(message)

    def to(self, address: str) -> list[email.message.Message]:
        return [message for message in self.messages if message["To"] == address]

    async def wait_for(
        self, address: str, count: int = 1, timeout_s: float = 10.0
    ) -> email.message.Message:
        deadline = time.monotonic() + timeout_s
        while len(self.to(address)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail number {count} to {address} within {timeout_s}s")
            await asyncio.sleep(0.05)
        return self.to(address)[count - 1]

    @staticmethod
    def token_in(message: email.message.Message) -> str:
        body = message.get_payload(decode=True).decode()
        match = re.search(r"\?token=([\w.-]+)", body)
        assert match, body
        return match.group(1)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def inbox(smtp_server) -> Inbox:
    inbox, _ = smtp_server
    inbox.messages.clear()
    return inbox


@pytest.fixture
def unused_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def signing_key_file(tmp_path_factory) -> Path:
    return generate_key(tmp_path_factory.mktemp("signing-key"))


@pytest.fixture
def keys_dir(tmp_path, signing_key_file) -> Path:
    """A key folder of this test's own (tests add keys to it), with the session's key
    copied in rather than a new one generated for every test."""
    directory = tmp_path / "keys"
    directory.mkdir()
    shutil.copy2(signing_key_file, directory / signing_key_file.name)
    return directory


@pytest.fixture
def settings(mongodb_uri, database_name, keys_dir, smtp_server) -> AuthSettings:
    _, smtp_port = smtp_server
    return AuthSettings(
        environment="test",
        mongodb_uri=mongodb_uri,
        database=database_name,
        keys_dir=keys_dir,
        link_token_secret="test-link-secret-" + "x" * 32,
        smtp_port=smtp_port,
        # A cheap hash keeps the suite fast; the benchmark states the production cost.
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        argon2_parallelism=1,
        refresh_sweep_interval_s=3600,
    )


@asynccontextmanager
async def app_client(settings: AuthSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://auth") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


@pytest.fixture
async def client(settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings) as client:
        yield client


@pytest.fixture
def accounts_factory():
    """An app with other settings, for the tests about a setting."""

    @asynccontextmanager
    async def accounts_with(settings: AuthSettings) -> AsyncIterator["Accounts"]:
        async with app_client(settings) as client:
            yield Accounts(client)

    return accounts_with


class Accounts:
    """Making and signing in accounts through the API."""

    password = PASSWORD

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def register(self, email: str, password: str = PASSWORD, **extra) -> dict:
        body = {"email": email, "password": password, **extra}
        response = await self.client.post("/register", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    async def login(self, email: str, password: str = PASSWORD, **kwargs) -> httpx.Response:
        form = {"username": email, "password": password}
        return await self.client.post("/jwt/login", data=form, **kwargs)

    async def tokens(self, email: str, password: str = PASSWORD) -> dict:
        response = await self.login(email, password)
        assert response.status_code == 200, response.text
        return response.json()

    async def signed_in(self, email: str) -> dict:
        await self.register(email)
        return await self.tokens(email)

    async def make_admin(self, email: str = "admin@example.io") -> str:
        """An account given the admin role the way the CLI does; returns its access token."""
        manager = user_manager(self.client.app.state.auth)  # type: ignore[attr-defined]
        user = await manager.create(UserCreate(email=email, password=PASSWORD))
        await manager.update(UserUpdate(roles=["member", "admin"]), user, safe=False)
        return (await self.tokens(email))["access_token"]

    @staticmethod
    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def accounts(client) -> Accounts:
    return Accounts(client)


@pytest.fixture
async def admin_headers(accounts) -> dict[str, str]:
    return accounts.bearer(await accounts.make_admin())


@asynccontextmanager
async def live_app(settings: AuthSettings) -> AsyncIterator[str]:
    """The app served by uvicorn on a free port, in this event loop; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_config=None, lifespan="on"
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():
            serving.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


@pytest.fixture
def serve():
    """live_app, for a test that serves the app with settings of its own."""
    return live_app


@pytest.fixture
async def live_url(settings) -> AsyncIterator[str]:
    async with live_app(settings) as url:
        yield url
