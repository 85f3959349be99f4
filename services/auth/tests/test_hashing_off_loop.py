"""Argon2 runs (~0.3 s each in production) must not hold the event loop: while one request
hashes or checks a password, the same worker keeps answering others.

The app is served by uvicorn on a loop of its own (a thread), so that a held loop there
cannot be mistaken for the test's own. Every argon2 run is held inside the hasher until the
test has seen the app answer health and JWKS requests meanwhile, so the proof rests on
ordering, not on how fast a loaded machine happens to be."""

import asyncio
import queue
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from pwdlib.hashers.argon2 import Argon2Hasher

from auth_service.accounts import user_manager
from auth_service.app import create_app
from auth_service.schemas import UserCreate, UserUpdate
from auth_service.settings import AuthSettings

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"
# Generous: on a working service each answer takes milliseconds; only a held loop waits.
PROBE_TIMEOUT_S = 20.0


class Argon2Gate:
    """While armed, every argon2 run (hash or check) waits inside the hasher until the test
    releases it."""

    def __init__(self) -> None:
        self.armed = False
        self.held: queue.Queue[threading.Event] = queue.Queue()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name in ("hash", "verify"):
            monkeypatch.setattr(Argon2Hasher, name, self._holding(getattr(Argon2Hasher, name)))

    def _holding(self, run: Callable[..., Any]) -> Callable[..., Any]:
        def held_run(hasher: Argon2Hasher, *args: Any, **kwargs: Any) -> Any:
            if self.armed:
                release = threading.Event()
                self.held.put(release)
                release.wait(timeout=120)
            return run(hasher, *args, **kwargs)

        return held_run

    def open(self) -> None:
        self.armed = False
        while not self.held.empty():
            self.held.get_nowait().set()


@dataclass
class ServedApp:
    url: str
    loop: asyncio.AbstractEventLoop
    app: Any

    def run(self, work: Coroutine[Any, Any, Any]) -> "asyncio.Future[Any]":
        """Runs a coroutine on the app's own loop (its store client lives there)."""
        future: Future[Any] = asyncio.run_coroutine_threadsafe(work, self.loop)
        return asyncio.wrap_future(future)


@pytest.fixture
def gate(monkeypatch) -> Iterator[Argon2Gate]:
    gate = Argon2Gate()
    gate.install(monkeypatch)
    yield gate
    gate.open()


@pytest.fixture
async def served(
    settings: AuthSettings, gate: Argon2Gate, unused_port: int
) -> AsyncIterator[ServedApp]:
    app = create_app(settings)
    port = unused_port
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
    )
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(server.serve(),))
    thread.start()
    try:
        while not server.started:
            assert thread.is_alive(), "the app did not start"
            await asyncio.sleep(0.02)
        yield ServedApp(f"http://127.0.0.1:{port}", loop, app)
    finally:
        gate.open()
        server.should_exit = True
        await asyncio.to_thread(thread.join)
        loop.close()


async def answered_during_each_argon2_run(
    served: ServedApp, gate: Argon2Gate, request: Awaitable[httpx.Response]
) -> tuple[int, httpx.Response]:
    """Sends the request; each time one of its argon2 runs is held, asks the app for
    /healthz and the JWKS five times, and checks they are answered before the request.
    Returns how many runs were held, and the request's answer."""
    gate.armed = True
    pending = asyncio.ensure_future(request)
    runs = 0
    try:
        async with httpx.AsyncClient(base_url=served.url, timeout=PROBE_TIMEOUT_S) as probe:
            while not pending.done():
                try:
                    release = gate.held.get_nowait()
                except queue.Empty:
                    await asyncio.sleep(0.01)
                    continue
                runs += 1
                try:
                    await answers_meanwhile(probe, runs)
                    assert not pending.done()
                finally:
                    release.set()
    finally:
        gate.open()
        response = await pending
    return runs, response


async def answers_meanwhile(probe: httpx.AsyncClient, run: int) -> None:
    for path in ["/healthz", "/.well-known/jwks.json"] * 5:
        try:
            answer = await probe.get(path)
        except httpx.TimeoutException:
            pytest.fail(f"{path} got no answer while argon2 run {run} was under way")
        assert answer.status_code == 200, answer.text


@pytest.fixture
async def http(served: ServedApp) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=served.url, timeout=PROBE_TIMEOUT_S * 4) as client:
        yield client


async def register(http: httpx.AsyncClient, email: str) -> str:
    response = await http.post("/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def sign_in(http: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    response = await http.post("/jwt/login", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_registration_hashes_while_the_app_answers_others(served, gate, http):
    runs, response = await answered_during_each_argon2_run(
        served, gate, http.post("/register", json={"email": "new@example.io", "password": PASSWORD})
    )
    assert response.status_code == 201, response.text
    assert runs == 1
    await sign_in(http, "new@example.io")


async def test_password_change_hashes_while_the_app_answers_others(served, gate, http):
    await register(http, "me@example.io")
    token = await sign_in(http, "me@example.io")
    runs, response = await answered_during_each_argon2_run(
        served,
        gate,
        http.patch(
            "/users/me",
            json={"password": NEW_PASSWORD, "current_password": PASSWORD},
            headers=bearer(token),
        ),
    )
    assert response.status_code == 200, response.text
    assert runs == 2  # checking the current password, hashing the new one
    await sign_in(http, "me@example.io", NEW_PASSWORD)


async def test_admin_setting_a_password_hashes_while_the_app_answers_others(served, gate, http):
    async def make_admin() -> None:
        manager = user_manager(served.app.state.auth)
        admin = await manager.create(UserCreate(email="admin@example.io", password=PASSWORD))
        await manager.update(UserUpdate(roles=["member", "admin"]), admin, safe=False)

    await served.run(make_admin())
    admin_token = await sign_in(http, "admin@example.io")
    user_id = await register(http, "them@example.io")
    runs, response = await answered_during_each_argon2_run(
        served,
        gate,
        http.patch(
            f"/users/{user_id}", json={"password": NEW_PASSWORD}, headers=bearer(admin_token)
        ),
    )
    assert response.status_code == 200, response.text
    assert runs == 1
    await sign_in(http, "them@example.io", NEW_PASSWORD)


async def test_forgot_password_answers_before_the_reset_token_is_hashed(served, gate, http, inbox):
    """The reset token's fingerprint costs an argon2 run that an unknown address would not:
    the answer must not wait for it, or its timing would tell which addresses have accounts."""
    await register(http, "lost@example.io")
    gate.armed = True
    try:
        known = await asyncio.wait_for(
            http.post("/forgot-password", json={"email": "lost@example.io"}), PROBE_TIMEOUT_S
        )
    except TimeoutError:
        pytest.fail("forgot-password waited for the held argon2 run before answering")
    assert known.status_code == 202
    release = await asyncio.to_thread(gate.held.get, timeout=PROBE_TIMEOUT_S)
    await answers_meanwhile(http, 1)
    unknown = await http.post("/forgot-password", json={"email": "nobody@example.io"})
    assert (unknown.status_code, unknown.content) == (known.status_code, known.content)
    assert gate.held.empty()  # an unknown address costs no argon2 run
    assert inbox.messages == []  # no token without the fingerprint
    release.set()
    gate.open()

    token = inbox.token_in(await inbox.wait_for("lost@example.io"))
    await served.run(served.app.state.auth.mailer.drain())
    assert inbox.to("nobody@example.io") == []
    runs, response = await answered_during_each_argon2_run(
        served, gate, http.post("/reset-password", json={"token": token, "password": NEW_PASSWORD})
    )
    assert response.status_code == 200, response.text
    assert runs == 2  # checking the fingerprint, hashing the new password
    await sign_in(http, "lost@example.io", NEW_PASSWORD)


async def test_sign_in_checks_while_the_app_answers_others(served, gate, http):
    await register(http, "back@example.io")
    runs, response = await answered_during_each_argon2_run(
        served,
        gate,
        http.post("/jwt/login", data={"username": "back@example.io", "password": PASSWORD}),
    )
    assert response.status_code == 200, response.text
    assert runs == 1
