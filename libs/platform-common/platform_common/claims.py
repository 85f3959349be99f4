"""Exclusive version transitions, on any MongoDB-wire store.

FerretDB v1 does not apply conditional updates atomically: when several clients run
`update_one({"_id": x, "version": 3}, ...)` at once, each is told it matched and modified the
document, and the changes overwrite one another (docs/store.md). Inserting under a unique
`_id` is atomic on every store, so a writer first claims the transition "x from version 3" by
inserting `<kind>:<x>:3`; only the one insert that succeeds may go on to update.
"""

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

# A version is only contested while it is current; claims older than this are history.
CLAIM_RETENTION = timedelta(days=1)


class TransitionClaims:
    def __init__(self, collection: AsyncCollection[dict[str, Any]]) -> None:
        self._collection = collection

    async def claim(self, kind: str, document_id: object, from_version: int) -> bool:
        """True for exactly one caller per (kind, document, version), across processes."""
        try:
            await self._collection.insert_one(
                {"_id": f"{kind}:{document_id}:{from_version}", "at": datetime.now(UTC)}
            )
        except DuplicateKeyError:
            return False
        return True

    async def sweep(
        self, older_than: timedelta = CLAIM_RETENTION, kinds: Iterable[str] | None = None
    ) -> int:
        """Forgets claims made longer ago than `older_than` (of the given kinds only, if any).
        A short horizon also frees a claim whose winner died before it could update."""
        query: dict[str, Any] = {"at": {"$lt": datetime.now(UTC) - older_than}}
        if kinds is not None:
            alternatives = "|".join(re.escape(kind) for kind in kinds)
            query["_id"] = {"$regex": f"^(?:{alternatives}):"}
        result = await self._collection.delete_many(query)
        return result.deleted_count
