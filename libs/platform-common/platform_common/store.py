"""The MongoDB-wire store: one async client per process, and a cheap liveness probe."""

import asyncio
from typing import Any

import structlog
from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

# Short enough that /readyz reports a dead store within about a second.
PROBE_TIMEOUT_S = 1.0


def connect(uri: str, app_name: str) -> AsyncMongoClient[dict[str, Any]]:
    return AsyncMongoClient(
        uri,
        appname=app_name,
        serverSelectionTimeoutMS=int(PROBE_TIMEOUT_S * 1000),
        connectTimeoutMS=2000,
        tz_aware=True,
    )


async def probe(client: AsyncMongoClient[Any]) -> dict[str, str]:
    """{"status": "ok"} when the store answers a ping, else "down" with the reason."""
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_S + 0.5):
            await client.admin.command("ping")
    except (PyMongoError, TimeoutError) as error:
        reason = str(error).split(",")[0][:200] or type(error).__name__
        return {"status": "down", "error": reason}
    return {"status": "ok"}


async def wait_until_reachable(client: AsyncMongoClient[Any], timeout_s: float) -> None:
    """At start-up the store may still be booting (make run starts everything at once)."""
    log = structlog.get_logger("store")
    deadline = asyncio.get_running_loop().time() + timeout_s
    while (result := await probe(client))["status"] != "ok":
        if asyncio.get_running_loop().time() > deadline:
            raise StoreUnreachableError(f"store not reachable after {timeout_s:.0f}s: {result}")
        log.warning("waiting for store", error=result.get("error"))
        await asyncio.sleep(0.5)


class StoreUnreachableError(RuntimeError):
    pass
