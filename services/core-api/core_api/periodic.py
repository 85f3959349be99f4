"""Background upkeep a core-api process runs while it serves (FerretDB v1 has no TTL
indexes, so old documents are deleted by the service itself)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import structlog
from pymongo.errors import PyMongoError

log = structlog.get_logger("core-api")


@contextlib.asynccontextmanager
async def every(
    interval_s: float, job: Callable[[], Awaitable[int]], what: str
) -> AsyncIterator[None]:
    """Runs `job` (which returns how many documents it removed) every `interval_s` while the
    block runs. A store error is logged and the next round tries again."""

    async def forever() -> None:
        while True:
            await asyncio.sleep(interval_s)
            try:
                removed = await job()
            except PyMongoError as error:
                log.warning(f"{what} failed", error=str(error))
                continue
            if removed:
                log.info(what, removed=removed)

    task = asyncio.create_task(forever())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
