"""Exclusive version transitions for everything core-api changes under a version check:
tasks, projects, fragments and override grants.

FerretDB v1 tells every one of several concurrent `update_one({"_id": x, "version": 3}, ...)`
that it matched, and their changes overwrite one another (docs/store.md). So every
version-checked write first claims "task x from version 3" (`platform_common.claims`): a
unique insert, atomic on every store. Exactly one claimant goes on to write; the others are
refused and change nothing. A claim that is won but not used (a bulk change that lost
another of its claims, a write that failed) is given back.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from platform_common.claims import TransitionClaims

CLAIMS_COLLECTION = "version_claims"

TASK = "task"
PROJECT = "project"
# A fragment moving on from one revision (activate, roll back, canary, enable, disable...).
FRAGMENT_REVISION = "fragment"
# A write to an override grant (a use, the revocation) made when it had been used n times.
OVERRIDE_STEP = "fragment-override"
# The registry-wide set of served routes moving on from revision n (any change that serves
# routes it did not serve before, whichever fragment it is: core_api/registry/route_turns.py).
SERVED_ROUTES = "fragment-routes"
KINDS = (TASK, PROJECT, FRAGMENT_REVISION, OVERRIDE_STEP, SERVED_ROUTES)

# A claim only has to outlive its winner's one write (milliseconds). A claim older than this
# belongs to a writer that died before writing; it would refuse every later writer of that
# version, so it is forgotten. (Claims of past versions are history and harmless.)
STUCK_AFTER = timedelta(minutes=1)
# Claiming a bulk change's tasks: how many inserts are in flight at once.
CLAIM_CONCURRENCY = 16


def _claim_id(kind: str, document_id: object, version: int) -> str:
    """The `_id` TransitionClaims inserts (tests/test_version_claims.py checks it still is)."""
    return f"{kind}:{document_id}:{version}"


class VersionClaims(TransitionClaims):
    def __init__(self, database: AsyncDatabase[dict[str, Any]]) -> None:
        self._claims = database[CLAIMS_COLLECTION]
        super().__init__(self._claims)

    async def claim_all(self, kind: str, versions: dict[Any, int]) -> tuple[list[Any], list[Any]]:
        """Claims each document's transition from its version: (ids won, ids lost)."""
        limit = asyncio.Semaphore(CLAIM_CONCURRENCY)

        async def one(document_id: Any) -> bool:
            async with limit:
                return await self.claim(kind, document_id, versions[document_id])

        outcomes = await asyncio.gather(*(one(i) for i in versions))
        won = [i for i, ok in zip(versions, outcomes, strict=True) if ok]
        lost = [i for i, ok in zip(versions, outcomes, strict=True) if not ok]
        return won, lost

    async def release(self, kind: str, versions: dict[Any, int]) -> None:
        """Gives back claims that were won but not used, so later writers are not refused."""
        ids = [_claim_id(kind, i, v) for i, v in versions.items()]
        if ids:
            await self._claims.delete_many({"_id": {"$in": ids}})

    async def release_older(self, kind: str, versions: dict[Any, int], before: datetime) -> None:
        """Gives back claims made before `before` only: a claim of a write interrupted by a
        crash (core_api/recovery.py), never one a live writer has just made."""
        ids = [_claim_id(kind, i, v) for i, v in versions.items()]
        if ids:
            await self._claims.delete_many({"_id": {"$in": ids}, "at": {"$lt": before}})

    @contextlib.asynccontextmanager
    async def exclusive(self, kind: str, document_id: object, version: int) -> AsyncIterator[bool]:
        """Yields whether the transition was won; a won claim is given back if the block
        fails, since then nothing was written."""
        won = await self.claim(kind, document_id, version)
        try:
            yield won
        except BaseException:
            if won:
                await self.release(kind, {document_id: version})
            raise

    async def sweep_stuck(self) -> int:
        """Forgets core-api's claims older than STUCK_AFTER (FerretDB has no TTL index)."""
        return await self.sweep(STUCK_AFTER, KINDS)

    async def sweep_stuck_and_old(self) -> int:
        """Stuck claims, and claims of any kind that are old history."""
        return await self.sweep_stuck() + await self.sweep()
