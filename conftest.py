"""Fixtures every Python test suite in the workspace shares: a real store and a fresh
database per test, dropped afterwards.

The store is MONGODB_URI when set, else an embedded FerretDB started for this run on a free
port with its own throw-away data folder (so `make run` on the same machine is untouched).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pymongo import AsyncMongoClient, MongoClient

ROOT = Path(__file__).parent
FERRETDB_BIN = ROOT / ".local/tools/ferretdb-v1.24.2"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(host: str, port: int, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((host, port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout_s}s")


@contextmanager
def redis_server() -> Iterator[str]:
    """A throw-away redis-server (Debian's package) on a free port, keeping nothing on disk;
    yields its URL without a database number. Skips the test when redis-server is missing."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (make setup-test installs it)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="redis-") as data_dir:
        options = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        server = subprocess.Popen([binary, *options, "--dir", data_dir], stdout=subprocess.DEVNULL)
        try:
            wait_for_port("127.0.0.1", port)
            yield f"redis://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """One throw-away Redis per test module (see `redis_server`)."""
    with redis_server() as url:
        yield url


def start_ferretdb(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    if not FERRETDB_BIN.exists():
        pytest.exit(
            f"{FERRETDB_BIN} is missing: run 'make setup' (or set MONGODB_URI)", returncode=1
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            str(FERRETDB_BIN),
            "--handler=sqlite",
            f"--sqlite-url=file:{data_dir}/",
            f"--state-dir={data_dir}",
            f"--listen-addr=127.0.0.1:{port}",
            "--debug-addr=-",
            "--telemetry=disable",
            "--log-level=error",
        ]
    )
    wait_for_port("127.0.0.1", port)
    return process


@pytest.fixture(scope="session")
def mongodb_uri() -> Iterator[str]:
    if uri := os.environ.get("MONGODB_URI"):
        yield uri
        return
    data_dir = Path(tempfile.mkdtemp(prefix="farm-test-store-"))
    port = free_port()
    store = start_ferretdb(data_dir, port)
    try:
        yield f"mongodb://127.0.0.1:{port}"
    finally:
        store.terminate()
        store.wait(timeout=10)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def database_name(mongodb_uri: str) -> Iterator[str]:
    """A database of this test's own, dropped when it ends."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    yield name
    client: MongoClient = MongoClient(mongodb_uri, serverSelectionTimeoutMS=5000)
    with client:
        client.drop_database(name)


@pytest.fixture
async def mongo(mongodb_uri: str) -> AsyncIterator[AsyncMongoClient]:
    client: AsyncMongoClient = AsyncMongoClient(mongodb_uri, tz_aware=True)
    yield client
    await client.close()


class TokenIssuer:
    """Signs access tokens the way the auth service does and publishes its JWKS over real
    HTTP, so services under test verify tokens exactly as in production."""

    issuer = "http://127.0.0.1:8000/api/auth"
    audience = "farm-platform"

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa

        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = f"test-{uuid.uuid4().hex[:8]}"
        self.jwks_url = ""

    def jwks(self) -> dict:
        import json

        from jwt.algorithms import RSAAlgorithm

        jwk = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def mint(
        self, subject: str, roles: list[str] | None = None, *, lifetime_s: int = 900, **claims
    ) -> str:
        import jwt

        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "iat": now,
            "exp": now + lifetime_s,
            "jti": uuid.uuid4().hex,
            "roles": roles if roles is not None else ["member"],
            **claims,
        }
        return jwt.encode(payload, self.private_key, algorithm="RS256", headers={"kid": self.kid})


@pytest.fixture(scope="session")
def token_issuer() -> Iterator[TokenIssuer]:
    import threading

    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    issuer = TokenIssuer()
    app = Starlette(routes=[Route("/.well-known/jwks.json", lambda _: JSONResponse(issuer.jwks()))])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port("127.0.0.1", port)
    issuer.jwks_url = f"http://127.0.0.1:{port}/.well-known/jwks.json"
    yield issuer
    server.should_exit = True
    thread.join(timeout=5)
