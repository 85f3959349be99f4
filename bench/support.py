"""What the benchmarks share: free ports, a throw-away store and an app served over real HTTP.
Run the benchmarks as modules from the repository root (`python -m bench.core_bench`), so
that this module imports as `bench.support`."""

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import uvicorn

ROOT = Path(__file__).resolve().parent.parent
FERRETDB = ROOT / ".local/tools/ferretdb-v1.24.2"


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
