"""Hostile slow clients against the sign-in path: a real gateway under uvicorn (trusting the
forwarded client address, as behind nginx) in front of a real auth service on the real store.
A body trickled byte by byte is cut off with 408 once the whole-body deadline passes, and one
address holds at most `max_connections_per_client` requests, so sign-in keeps working. A client
still sending when the gateway refuses its body gets the refusal whole (the close lingers)."""

import select
import socket
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from urllib.parse import urlencode

import httpx
import orjson
import pytest
from pymongo import MongoClient

from auth_service.app import create_app as create_auth_app
from auth_service.keys import generate_key
from auth_service.settings import AuthSettings
from gateway.app import create_app
from gateway.server import GatewayProtocol
from gateway.settings import GatewaySettings, Upstream
from gateway.tests.conftest import CORE, serve_in_thread

EMAIL = "slow-clients@example.com"
PASSWORD = "a long and unusual passphrase 4711"
BODY_DEADLINE_S = 1.0
TRICKLE_PAUSE_S = 0.2
# Far more pauses than the deadline allows: only the gateway cutting the body ends the trickle.
TRICKLED_BYTES = 100
AUTH_SLOTS = 3
PER_CLIENT = 2
# What a refused client sends before it reads the answer: within what the gateway discards.
REFUSED_BODY_SENT = GatewayProtocol.linger_max_bytes // 2


@pytest.fixture(scope="module")
def auth_url(mongodb_uri, tmp_path_factory) -> Iterator[str]:
    keys = tmp_path_factory.mktemp("keys")
    generate_key(keys)
    settings = AuthSettings(
        environment="test",
        mongodb_uri=mongodb_uri,
        database=f"test_auth_slow_{int(time.time() * 1000)}",
        keys_dir=keys,
        link_token_secret="test-link-secret-" + "x" * 32,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        argon2_parallelism=1,
        refresh_sweep_interval_s=3600,
    )
    with serve_in_thread(create_auth_app(settings)) as url:
        registered = httpx.post(f"{url}/register", json={"email": EMAIL, "password": PASSWORD})
        assert registered.status_code == 201, registered.text
        yield url
    with MongoClient(mongodb_uri) as client:
        client.drop_database(settings.database)


@pytest.fixture(scope="module")
def gateway_url(auth_url, token_issuer) -> Iterator[str]:
    settings = GatewaySettings(
        routes=[
            # A sign-in waits up to 10 s for a slot: far longer than the tricklers may hold one.
            Upstream(
                name="auth",
                url=auth_url,
                prefix="/api/auth",
                max_connections=AUTH_SLOTS,
                pool_timeout_s=10,
            ),
            Upstream(name="core", url=CORE, prefix="/api/core"),
        ],
        jwks_url=token_issuer.jwks_url,
        client_body_timeout_s=BODY_DEADLINE_S,
        max_connections_per_client=PER_CLIENT,
        log_level="WARNING",
    )
    # As behind nginx: the client's address is the one the trusted proxy forwards.
    with serve_in_thread(
        create_app(settings),
        http=GatewayProtocol,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    ) as url:
        yield url


def sign_in(gateway_url: str, address: str) -> httpx.Response:
    return httpx.post(
        f"{gateway_url}/api/auth/jwt/login",
        data={"username": EMAIL, "password": PASSWORD},
        headers={"x-forwarded-for": address},
        timeout=30,
    )


def open_sign_in(gateway_url: str, address: str) -> socket.socket:
    """A sign-in whose head is sent and whose form body has not started."""
    body = urlencode({"username": EMAIL, "password": PASSWORD}).encode()
    host, port = gateway_url.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)), timeout=10)
    connection.sendall(
        b"POST /api/auth/jwt/login HTTP/1.1\r\nHost: gateway\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        + f"X-Forwarded-For: {address}\r\nContent-Length: {len(body) + TRICKLED_BYTES}\r\n\r\n".encode()
    )
    return connection


def trickle(connection: socket.socket) -> bytes:
    """Sends one byte per pause until the gateway answers; returns all it says until it
    closes the connection."""
    with connection:
        for _ in range(TRICKLED_BYTES):
            if select.select([connection], [], [], TRICKLE_PAUSE_S)[0]:
                break
            # The gateway may cut the body between our select and this byte: its close
            # lingers, so the byte is read and thrown away, never answered with a reset.
            connection.sendall(b"x")
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except TimeoutError:
            return answer + b"<connection left open>"
        return answer


def head_and_body(answer: bytes) -> tuple[bytes, dict]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.lower(), orjson.loads(body)


def test_a_trickled_sign_in_body_is_cut_off_with_408_and_sign_in_goes_on(gateway_url):
    # A handful of tricklers from several addresses hold every slot to the auth service.
    addresses = [f"203.0.113.{number}" for number in range(1, AUTH_SLOTS + 1)]
    with ThreadPoolExecutor(len(addresses)) as pool:
        tricklers: list[Future[bytes]] = [
            pool.submit(trickle, open_sign_in(gateway_url, address)) for address in addresses
        ]
        time.sleep(TRICKLE_PAUSE_S)

        signed_in = sign_in(gateway_url, "198.51.100.7")

        answers = [trickler.result() for trickler in tricklers]

    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["access_token"]
    for answer in answers:
        assert answer.startswith(b"HTTP/1.1 408 "), answer[:300]
        head, body = head_and_body(answer)
        assert b"connection: close" in head
        assert body["detail"]["code"] == "REQUEST_TIMEOUT"
        assert not answer.endswith(b"<connection left open>")


def test_one_address_holds_at_most_its_share_of_connections(gateway_url):
    attacker = "203.0.113.50"
    held = [open_sign_in(gateway_url, attacker) for _ in range(PER_CLIENT)]
    with ThreadPoolExecutor(PER_CLIENT) as pool:
        tricklers = [pool.submit(trickle, connection) for connection in held]
        time.sleep(TRICKLE_PAUSE_S)  # both requests have reached the gateway

        one_too_many = sign_in(gateway_url, attacker)
        someone_else = sign_in(gateway_url, "198.51.100.8")

        for trickler in tricklers:
            trickler.result()

    assert one_too_many.status_code == 429, one_too_many.text
    assert one_too_many.json()["detail"]["code"] == "TOO_MANY_CONNECTIONS"
    assert one_too_many.headers["connection"] == "close"
    assert someone_else.status_code == 200, someone_else.text
    # Its connections closed, the address may sign in again.
    assert sign_in(gateway_url, attacker).status_code == 200


def test_a_client_still_sending_a_refused_body_gets_the_whole_413(gateway_url):
    """The gateway refuses a body over the limit on its declared length, before reading it.
    A client that sends its body without waiting (as most do, without 100-continue) reads the
    413 whole and then the connection's end; closing on the bytes still arriving would make
    the kernel answer with a reset, which can drop the 413 before the client reads it."""
    host, port = gateway_url.removeprefix("http://").split(":")
    declared = 11 * 1024 * 1024  # auth takes bodies up to 10 MiB
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            b"POST /api/auth/jwt/login HTTP/1.1\r\nHost: gateway\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"X-Forwarded-For: 203.0.113.60\r\nContent-Length: {declared}\r\n\r\n".encode()
            + b"x" * REFUSED_BODY_SENT
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk

    assert answer.startswith(b"HTTP/1.1 413 "), answer[:300]
    head, body = head_and_body(answer)
    assert b"connection: close" in head
    assert body["detail"]["code"] == "BODY_TOO_LARGE"
