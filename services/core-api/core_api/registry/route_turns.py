"""One change at a time to the routes the registry serves, across fragments and processes.

Claiming "fragment X from revision n" makes changes to one fragment exclusive, but two
fragments activating overlapping routes at the same moment would each check against the
other's old state and both pass. So every change that starts serving routes also claims the
registry-wide "served routes from revision n" (an insert under a unique id, atomic even on
FerretDB v1), having read n *before* checking for collisions. The one claimant writes its
fragment and then moves the revision on to n + 1; a change that lost re-reads the revision,
checks again against what the winner wrote, and claims again (or is refused with the
collision). Changes that only take routes away (disable, abort, promote) need no turn: they
cannot create an overlap.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from core_api.registry.errors import RegistryCode, conflict
from core_api.registry.models import Fragment
from core_api.version_claims import SERVED_ROUTES, VersionClaims

_COLLECTION = "fragment_routes"
_SERVED = "served"

# How long a change waits for its turn while others change routes; then ROUTES_BUSY.
PATIENCE_S = 10.0
# A winner holds its turn for two writes (milliseconds); losers try again after about that.
# (Every round has a winner, the first insert of the claim, so no jitter is needed.)
_RETRY_AFTER_S = 0.01


async def take_turn(claims: VersionClaims, check: Callable[[], Awaitable[None]]) -> int:
    """Claims the next change of the served routes once `check` (the collision check) passes
    against the state after every earlier turn; returns the revision claimed, to hand to
    `end_turn` after writing. Raises what `check` raises, or ROUTES_BUSY."""
    give_up_at = time.monotonic() + PATIENCE_S
    lost = None
    while True:
        revision = await _served_revision()  # read before checking: see the module doc
        # While the revision we lost has not moved on, its winner still holds the turn:
        # checking and claiming again would only load the store.
        if revision != lost:
            await check()
            if await claims.claim(SERVED_ROUTES, _SERVED, revision):
                return revision
            lost = revision
        if time.monotonic() > give_up_at:
            raise conflict(
                RegistryCode.ROUTES_BUSY,
                "Too many fragments are changing their routes at once: retry",
            )
        await asyncio.sleep(_RETRY_AFTER_S)


async def end_turn(revision: int) -> None:
    """Lets the next change go (whether or not this one wrote). Only the claimant of
    `revision` writes the document; `$max` keeps a claimant that stalled past the sweep
    (its claim forgotten, others have moved on) from setting the revision back to one
    whose claim is still held, which would block every turn until the next sweep."""
    await _revisions().update_one(
        {"_id": _SERVED}, {"$max": {"revision": revision + 1}}, upsert=True
    )


async def _served_revision() -> int:
    found = await _revisions().find_one({"_id": _SERVED})
    return int(found["revision"]) if found else 0


def _revisions() -> AsyncCollection[dict[str, Any]]:
    return Fragment.get_pymongo_collection().database[_COLLECTION]
