"""Revoked sessions: the list that every token consumer follows (platform_common.revocation).

Revoking refresh tokens (refresh.py) ends a session's future, but access tokens already
handed out would stay good until they expire. So every revocation of refresh tokens lands
here too: a user's "not before" time (sign-out everywhere, deactivation, password change or
reset, deletion) or one session id (a sign-out, a reused refresh token). An entry is kept
until the longest-lived access token it could refuse has expired, then swept (FerretDB v1
has no TTL indexes). Entries are published on Redis when configured, and always served by
the internal feed (api/internal.py) that the gateway and core-api poll.
"""

import time
from datetime import UTC, datetime
from typing import Any

import structlog
from pymongo.errors import DuplicateKeyError
from redis.asyncio import Redis
from redis.exceptions import RedisError

from auth_service.models import RevokedSession, utcnow
from auth_service.tokens import LEEWAY_S
from platform_common.revocation import (
    REVOCATION_CHANNEL,
    RevocationEntry,
    RevocationFeedPage,
    RevocationView,
)

# The feed answers entries changed since the cursor minus this much: another auth instance
# may write an entry stamped a little before the cursor (concurrent writes, clock skew).
FEED_OVERLAP_S = 10
PUBLISH_TIMEOUT_S = 0.5

log = structlog.get_logger("auth.revocation")


class Revocations:
    def __init__(self, access_token_lifetime_s: int, redis_url: str | None = None) -> None:
        self._keep_s = access_token_lifetime_s + LEEWAY_S
        self._redis = (
            Redis.from_url(
                redis_url,
                socket_timeout=PUBLISH_TIMEOUT_S,
                socket_connect_timeout=PUBLISH_TIMEOUT_S,
            )
            if redis_url
            else None
        )

    async def revoke_subject(self, subject: str) -> None:
        """Refuses every access token issued until now to `subject` (a token's `sub`: a user's
        id, or "client:<id>" for a service account). The feed calls these entries "user"."""
        now = time.time()
        await self._save(
            RevocationEntry(kind="user", id=subject, not_before=now, expires_at=now + self._keep_s)
        )

    async def revoke_session(self, session_id: str) -> None:
        """Refuses every access token of one sign-in (its refresh-token family)."""
        expires_at = time.time() + self._keep_s
        await self._save(RevocationEntry(kind="session", id=session_id, expires_at=expires_at))

    async def changed_since(self, cursor: int | None) -> RevocationFeedPage:
        """Entries changed since `cursor` (all live ones without it) and the next cursor:
        whole seconds, so that answers within one second are alike and cacheable."""
        now = time.time()
        query: dict[str, Any] = {"expires_at": {"$gt": utcnow()}}
        if cursor is not None:
            query["changed_at"] = {"$gte": cursor - FEED_OVERLAP_S}
        stored = await RevokedSession.get_pymongo_collection().find(query).to_list(None)
        return RevocationFeedPage(cursor=str(int(now)), entries=[_entry(doc) for doc in stored])

    async def revoked(self, claims: dict[str, Any]) -> bool:
        """Whether a verified token's session was revoked: for this service's own bearer
        routes, which read the store instead of following the feed."""
        subject, session_id = str(claims["sub"]), claims.get("sid")
        ids = [f"user:{subject}", *([f"session:{session_id}"] if session_id else [])]
        stored = RevokedSession.get_pymongo_collection().find({"_id": {"$in": ids}})
        view = RevocationView()
        view.apply(_entry(doc) for doc in await stored.to_list(None))
        return view.revoked(subject, session_id, float(claims["iat"]))

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()

    async def _save(self, entry: RevocationEntry) -> None:
        stored = RevokedSession.get_pymongo_collection()
        key = {"_id": f"{entry.kind}:{entry.id}"}
        change = {
            "$set": {
                "kind": entry.kind,
                "subject": entry.id,
                "not_before": entry.not_before,
                "changed_at": time.time(),
                "expires_at": datetime.fromtimestamp(entry.expires_at, UTC),
            }
        }
        try:
            await stored.update_one(key, change, upsert=True)
        except DuplicateKeyError:  # a concurrent revocation of the same key inserted it first
            await stored.update_one(key, change)
        await self._publish(entry)

    async def _publish(self, entry: RevocationEntry) -> None:
        if self._redis is None:
            return
        try:
            await self._redis.publish(REVOCATION_CHANNEL, entry.model_dump_json())
        except RedisError as error:
            log.warning(
                "revocation not published; consumers get it from the feed", error=repr(error)
            )


def _entry(stored: dict[str, Any]) -> RevocationEntry:
    expires_at: datetime = stored["expires_at"]
    if expires_at.tzinfo is None:  # PyMongo hands back naive UTC datetimes
        expires_at = expires_at.replace(tzinfo=UTC)
    return RevocationEntry(
        kind=stored["kind"],
        id=stored["subject"],
        not_before=stored.get("not_before", 0.0),
        expires_at=expires_at.timestamp(),
    )


async def sweep_expired_revocations(now: datetime | None = None) -> int:
    """Deletes entries whose tokens have all expired; returns how many."""
    result = await RevokedSession.get_pymongo_collection().delete_many(
        {"expires_at": {"$lte": now or utcnow()}}
    )
    return result.deleted_count
