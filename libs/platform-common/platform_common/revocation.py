"""Revoked sessions: what the auth service publishes and what every token consumer follows.

Access tokens are verified locally, so a token stays good until it expires unless the
verifier knows it was revoked. The auth service keeps a short list (docs/auth.md, "Revoked
sessions"): per user a "not before" time (tokens issued earlier are refused: deactivation,
sign-out everywhere, password change) and revoked session ids (one sign-out). Each entry
lives only until every token it could refuse has expired.

Consumers hold that list in a RevocationView, consulted by JWKSVerifier on every token, and
keep it current with a RevocationFollower: it polls the auth service's internal feed every
second or two and, when Redis is configured, also applies what auth publishes on
`REVOCATION_CHANNEL` the moment it happens.
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any, Literal

import httpx
import structlog
from pydantic import BaseModel, Field, ValidationError

REVOCATION_CHANNEL = "platform:revocations"
FEED_PATH = "internal/revocations"

log = structlog.get_logger("platform.revocation")


def _not_a_feed_poll(record: logging.LogRecord) -> bool:
    """httpx logs every request at INFO; a poll a second would drown the service's log."""
    return record.levelno > logging.INFO or FEED_PATH not in record.getMessage()


class RevocationEntry(BaseModel):
    """`kind` "user": tokens of user `id` issued before `not_before` are refused;
    "session": every token of session `id` is. Moot after `expires_at` (epoch seconds)."""

    kind: Literal["user", "session"]
    id: str = Field(min_length=1, max_length=200)
    not_before: float = 0.0
    expires_at: float


class RevocationFeedPage(BaseModel):
    """One answer of the feed: entries changed since the cursor the follower sent, and the
    cursor to send next."""

    cursor: str
    entries: list[RevocationEntry]


class RevocationView:
    """What this process knows is revoked. Plain dicts: verification reads them without
    awaiting anything."""

    def __init__(self) -> None:
        self._not_before: dict[str, RevocationEntry] = {}
        self._sessions: dict[str, RevocationEntry] = {}

    def apply(self, entries: Iterable[RevocationEntry]) -> None:
        for entry in entries:
            if entry.kind == "session":
                self._sessions[entry.id] = entry
                continue
            known = self._not_before.get(entry.id)
            if known is None or entry.not_before >= known.not_before:
                self._not_before[entry.id] = entry

    def revoked(self, subject: str, session_id: str | None, issued_at: float) -> bool:
        user = self._not_before.get(subject)
        if user is not None and issued_at < user.not_before:
            return True
        return session_id is not None and session_id in self._sessions

    def forget_expired(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        for entries in (self._not_before, self._sessions):
            for key in [key for key, entry in entries.items() if entry.expires_at <= now]:
                del entries[key]

    def __len__(self) -> int:
        return len(self._not_before) + len(self._sessions)


class RevocationSettingsMixin(BaseModel):
    """How a token consumer follows the auth service's revocations. The feed URL defaults to
    the auth service's that serves the JWKS (same host and path prefix)."""

    revocation_feed_url: str | None = None
    revocation_poll_interval_s: float = Field(1.0, gt=0, le=5)
    # After this long without a successful poll a warning is logged; tokens are still
    # checked against what is known (fail open: docs/auth.md says why).
    revocation_stale_after_s: float = Field(30.0, gt=0)
    # Set to the auth service's AUTH_REVOCATION_REDIS_URL to hear revocations at once.
    revocation_redis_url: str | None = None

    def revocation_feed(self, jwks_url: str) -> str:
        if self.revocation_feed_url:
            return self.revocation_feed_url
        return jwks_url.removesuffix(".well-known/jwks.json") + FEED_PATH


class RevocationFollower:
    """Keeps a RevocationView current from the feed (and Redis, when configured)."""

    def __init__(
        self,
        view: RevocationView,
        *,
        feed_url: str,
        http: httpx.AsyncClient,
        interval_s: float,
        stale_after_s: float,
        redis_url: str | None = None,
    ) -> None:
        self.view = view
        self.feed_url = feed_url
        self._http = http
        self._interval_s = interval_s
        self._stale_after_s = stale_after_s
        self._redis_url = redis_url
        self._cursor: str | None = None
        self._synced_at = time.monotonic()
        self._stale_logged = False

    @property
    def stale(self) -> bool:
        return time.monotonic() - self._synced_at > self._stale_after_s

    async def poll(self) -> None:
        """One round trip to the feed; raises on any failure."""
        params = {"since": self._cursor} if self._cursor else {}
        response = await self._http.get(self.feed_url, params=params, timeout=self._interval_s * 2)
        response.raise_for_status()
        page = RevocationFeedPage.model_validate_json(response.content)
        self.view.apply(page.entries)
        self.view.forget_expired()
        self._cursor = page.cursor
        self._synced_at = time.monotonic()
        if self._stale_logged:
            log.info("revocation feed reachable again", feed=self.feed_url)
            self._stale_logged = False

    async def follow_feed(self) -> None:
        while True:
            try:
                await self.poll()
            except Exception as error:
                # Whatever one poll meets, the next must still happen: a dead loop would
                # never enforce a revocation again.
                self._note_failure(error)
            await asyncio.sleep(self._interval_s)

    def _note_failure(self, error: Exception) -> None:
        if self.stale and not self._stale_logged:
            # Fail open: tokens are still checked against everything already known.
            log.warning(
                "revocation feed unreachable; newer revocations are not enforced",
                feed=self.feed_url,
                stale_after_s=self._stale_after_s,
                error=repr(error),
            )
            self._stale_logged = True

    async def follow_redis(self) -> None:
        """Applies published entries as they come; reconnects after Redis goes away."""
        from redis.asyncio import Redis

        redis = Redis.from_url(self._redis_url or "")
        try:
            while True:
                try:
                    await self._listen(redis)
                except Exception as error:  # the feed still applies; try again shortly
                    log.warning(
                        "revocation channel lost; the feed still applies", error=repr(error)
                    )
                    await asyncio.sleep(self._interval_s)
        finally:
            await redis.aclose()

    async def _listen(self, redis: Any) -> None:
        async with redis.pubsub() as pubsub:
            await pubsub.subscribe(REVOCATION_CHANNEL)
            async for message in pubsub.listen():
                if message.get("type") != "message":
                    continue
                try:
                    self.view.apply([RevocationEntry.model_validate_json(message["data"])])
                except ValidationError:
                    log.warning("malformed revocation message ignored")

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        logging.getLogger("httpx").addFilter(_not_a_feed_poll)
        jobs = [asyncio.create_task(self.follow_feed())]
        if self._redis_url:
            jobs.append(asyncio.create_task(self.follow_redis()))
        try:
            yield
        finally:
            for job in jobs:
                job.cancel()
            await asyncio.gather(*jobs, return_exceptions=True)
