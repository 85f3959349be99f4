"""Rate limits per route group, per client address and per user, with the `limits` library.

Storage is in process memory by default; a Redis URL shares the counters between several
gateway processes. If that storage fails, requests are let through (and logged): a limiter
outage must not take the platform down with it.
"""

import fnmatch
import re
import time
from dataclasses import dataclass

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import (
    FixedWindowRateLimiter,
    MovingWindowRateLimiter,
    RateLimiter,
    SlidingWindowCounterRateLimiter,
)
from limits.errors import StorageError
from limits.storage import storage_from_string

from gateway.settings import RateLimitRule

log = structlog.get_logger("gateway.limits")

STRATEGIES: dict[str, type[RateLimiter]] = {
    "moving-window": MovingWindowRateLimiter,
    "sliding-window-counter": SlidingWindowCounterRateLimiter,
    "fixed-window": FixedWindowRateLimiter,
}


@dataclass(frozen=True)
class LimitOutcome:
    """The tightest limit that applied to a request, in the shape of the RateLimit-* headers."""

    allowed: bool
    group: str
    limit: int
    remaining: int
    reset_after_s: int

    def headers(self) -> dict[str, str]:
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_after_s),
        }
        if not self.allowed:
            headers["Retry-After"] = str(max(1, self.reset_after_s))
        return headers

    def raw_headers(self) -> list[tuple[bytes, bytes]]:
        return [(name.lower().encode(), value.encode()) for name, value in self.headers().items()]


@dataclass(frozen=True)
class _CompiledRule:
    group: str
    pattern: re.Pattern[str]
    per_client: RateLimitItem | None
    per_user: RateLimitItem | None


def storage_for(url: str) -> Storage:
    async_url = url if url.startswith("async+") else f"async+{url}"
    storage = storage_from_string(async_url, wrap_exceptions=True)
    assert isinstance(storage, Storage)
    return storage


class GatewayRateLimiter:
    def __init__(self, rules: list[RateLimitRule], storage: Storage, strategy: str) -> None:
        self.storage = storage
        self._limiter = STRATEGIES[strategy](storage)
        self._fixed_window = strategy == "fixed-window"
        self._rules = [_compile(rule) for rule in rules]

    def group_for(self, path: str) -> _CompiledRule | None:
        return next((rule for rule in self._rules if rule.pattern.match(path)), None)

    async def check_client(self, path: str, client: str) -> LimitOutcome | None:
        rule = self.group_for(path)
        if rule is None or rule.per_client is None:
            return None
        return await self._hit(rule.group, rule.per_client, "client", client)

    async def check_user(self, path: str, subject: str) -> LimitOutcome | None:
        rule = self.group_for(path)
        if rule is None or rule.per_user is None:
            return None
        return await self._hit(rule.group, rule.per_user, "user", subject)

    async def _hit(self, group: str, item: RateLimitItem, kind: str, key: str) -> LimitOutcome:
        try:
            if self._fixed_window:
                allowed, remaining, reset_time = await self._fixed_window_hit(
                    item, group, kind, key
                )
            else:
                allowed = await self._limiter.hit(item, group, kind, key)
                reset_time, remaining = await self._limiter.get_window_stats(item, group, kind, key)
        except StorageError as error:
            log.warning("rate limit storage failed; request let through", error=repr(error))
            return LimitOutcome(True, group, item.amount, item.amount, 0)
        reset_after = max(0, int(reset_time - time.time() + 0.999))
        return LimitOutcome(allowed, group, item.amount, remaining, reset_after)

    async def _fixed_window_hit(
        self, item: RateLimitItem, *identifiers: str
    ) -> tuple[bool, int, float]:
        """What FixedWindowRateLimiter's `hit` then `get_window_stats` answer, from the count
        the increment returns plus the window's expiry: two storage calls instead of three,
        one storage key built instead of three."""
        key = item.key_for(*identifiers)
        count = await self.storage.incr(key, item.get_expiry())
        reset_time = await self.storage.get_expiry(key)
        return count <= item.amount, max(0, item.amount - count), reset_time


def tightest(*outcomes: LimitOutcome | None) -> LimitOutcome | None:
    """A refusal first, else the one with the fewest requests left."""
    present = [outcome for outcome in outcomes if outcome is not None]
    if not present:
        return None
    return min(present, key=lambda outcome: (outcome.allowed, outcome.remaining))


def _compile(rule: RateLimitRule) -> _CompiledRule:
    pattern = "|".join(f"(?:{fnmatch.translate(path)})" for path in rule.paths)
    return _CompiledRule(
        group=rule.group,
        pattern=re.compile(pattern),
        per_client=parse(rule.per_client) if rule.per_client else None,
        per_user=parse(rule.per_user) if rule.per_user else None,
    )
