"""The registry's periodic upkeep, run by every core-api process: prune health samples older
than the health window and forget transition claims that are history or stuck (FerretDB v1
has no TTL indexes)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

import structlog
from pymongo.errors import PyMongoError

from core_api.registry_claims import REGISTRY_CLAIM_KINDS, STUCK_CLAIM_AFTER
from core_api.registry_health import prune_samples
from core_api.registry_settings import RegistrySettingsMixin
from platform_common.claims import TransitionClaims

log = structlog.get_logger("fragment-registry")


class Upkeep:
    def __init__(self, settings: RegistrySettingsMixin, claims: TransitionClaims) -> None:
        self.settings = settings
        self.claims = claims

    async def run_once(self) -> dict[str, int]:
        removed = {
            "health_samples": await prune_samples(self.settings.canary_window_s),
            "old_claims": await self.claims.sweep(),
            "registry_claims": await self.claims.sweep(STUCK_CLAIM_AFTER, REGISTRY_CLAIM_KINDS),
        }
        if any(removed.values()):
            log.info("registry upkeep", **removed)
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
