"""What the benchmarks share: free ports, a throw-away store and an app served over real HTTP.
Run the benchmarks as modules from the repository root (`python -m bench.core_bench`), so
that this module imports as `bench.support`."""

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ROOT = Path(__file__).resolve().parent.parent
ISSUER, AUDIENCE, KID = "http://bench/api/auth", "farm-platform", "bench"
FERRETDB = ROOT / ".local/tools/ferretdb-v1.24.2"


class Signer:
    """Signs access tokens the way the auth service does, with a key made for the run."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}

    def token(self, subject: str, roles: tuple[str, ...] = ("member",)) -> str:
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": subject, "iat": now, "exp": now + 7200}
        claims |= {"jti": uuid.uuid4().hex, "roles": list(roles)}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KID})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


@contextmanager
def store() -> Iterator[str]:
    """The URI of MONGODB_URI when set (use a throw-away database there), else of an embedded
    FerretDB on a free port with its data in a temporary folder, removed afterwards."""
    if uri := os.environ.get("MONGODB_URI"):
        yield uri
        return
    if not FERRETDB.exists():
        sys.exit(f"{FERRETDB} is missing: run 'make setup' (or set MONGODB_URI)")
    data, port = Path(tempfile.mkdtemp(prefix="bench-store-")), free_port()
    process = subprocess.Popen(
        [
            str(FERRETDB),
            "--handler=sqlite",
            f"--sqlite-url=file:{data}/",
            f"--state-dir={data}",
            f"--listen-addr=127.0.0.1:{port}",
            "--debug-addr=-",
            "--telemetry=disable",
            "--log-level=error",
        ]
    )
    try:
        wait_for_port(port)
        yield f"mongodb://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


@asynccontextmanager
async def serve(app: Any, log_level: str = "warning") -> AsyncIterator[str]:
    """The base URL of `app` served by uvicorn on a free port in this event loop."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level=log_level, log_config=None)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("uvicorn stopped before it started serving")
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
