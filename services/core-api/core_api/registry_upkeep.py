"""The registry's periodic upkeep, run by every core-api process: prune health samples older
than the health window (FerretDB v1 has no TTL indexes). Stuck claims of registry changes
are swept with every other claim (core_api/version_claims.py)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

import structlog
from pymongo.errors import PyMongoError

from core_api.registry_health import prune_samples
from core_api.registry_settings import RegistrySettingsMixin

log = structlog.get_logger("fragment-registry")


class Upkeep:
    def __init__(self, settings: RegistrySettingsMixin) -> None:
        self.settings = settings

    async def run_once(self) -> int:
        """Prunes old health samples; returns how many."""
        removed = await prune_samples(self.settings.canary_window_s)
        if removed:
            log.info("registry upkeep", health_samples=removed)
        return removed

    async def run_forever(self) -> None:
        while True:
            await asyncio.sleep(self.settings.fragment_upkeep_interval_s)
            try:
                await self.run_once()
            except PyMongoError as error:
                log.warning("registry upkeep failed", error=str(error))

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        task = asyncio.create_task(self.run_forever())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
