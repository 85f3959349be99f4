"""Rate limits per route group, per client address and per user, with the `limits` library.

Storage is in process memory by default; a Redis URL shares the counters between several
gateway processes. If that storage fails, requests are let through (and logged): a limiter
outage must not take the platform down with it.
"""

import bisect
import fnmatch
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import structlog
from cachetools import TLRUCache
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
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


# How often, at most, the in-memory storage drops the counters of clients that went away.
SWEEP_INTERVAL_S = 10.0


class SweptMemoryStorage(MemoryStorage):
    """`limits`' in-memory storage, with its expiry sweep run at most every `sweep_interval_s`.

    The library starts a new sweep of EVERY key after each hit once the previous sweep has
    ended, and its moving-window part hops to a thread per key: with 10,000 clients in the
    window that cost 0.1-0.8 ms per request, more than the rest of a proxied request
    (`python -m bench.limits_bench`). Counters past their window are still dropped whenever
    their key is read; the sweep only frees the memory of clients that went quiet.
    """

    def __init__(self, sweep_interval_s: float = SWEEP_INTERVAL_S) -> None:
        super().__init__(wrap_exceptions=True)
        self.sweep_interval_s = sweep_interval_s
        self._next_sweep = time.monotonic() + sweep_interval_s

    # The library calls this private hook (its name mangled) on every hit.
    async def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.sweep_interval_s
            self.sweep()

    def sweep(self) -> None:
        """Drops expired counters and moving-window entries in one pass, without awaiting (so
        no hit runs half-way through it)."""
        now = time.time()
        for key, events in list(self.events.items()):
            if events[0].expiry <= now:  # newest first: all expired
                del self.events[key]
                self.locks.pop(key, None)
            elif events[-1].expiry <= now:
                live = bisect.bisect_left(events, -now, key=lambda event: -event.expiry)
                self.events[key] = events[:live]
        for key in [key for key, expiry in self.expirations.items() if expiry <= now]:
            self.storage.pop(key, None)
            self.expirations.pop(key, None)
            self.locks.pop(key, None)


# A limit store that does not answer within this long lets the request through (logged).
STORAGE_TIMEOUT_S = 0.5


def storage_for(url: str) -> Storage:
    if urlsplit(url).scheme in ("memory", "async+memory"):
        return SweptMemoryStorage()
    async_url = url if url.startswith("async+") else f"async+{url}"
    options: dict[str, str | float] = {}
    if "redis" in urlsplit(url).scheme:
        # redis-py's client rather than coredis (the library's default): with coredis, which
        # sets no timeouts, a Redis that never answers hung every limited request; redis-py
        # also costs ~30% less CPU with the moving window (`make bench-limits`).
        options = {
            "implementation": "redispy",
            "socket_connect_timeout": STORAGE_TIMEOUT_S,
            "socket_timeout": STORAGE_TIMEOUT_S,
        }
    storage = storage_from_string(async_url, wrap_exceptions=True, **options)
    assert isinstance(storage, Storage)
    return storage


WINDOW_ENDS_REMEMBERED = 10_000


def _until_window_end(_key: str, window_end: float, _now: float) -> float:
    return window_end


class GatewayRateLimiter:
    def __init__(self, rules: list[RateLimitRule], storage: Storage, strategy: str) -> None:
        self.storage = storage
        self._limiter = STRATEGIES[strategy](storage)
        self._fixed_window = strategy == "fixed-window"
        self._rules = [_compile(rule) for rule in rules]
        # Fixed windows' ends by storage key, each forgotten when its window ends.
        self._window_ends: TLRUCache[str, float] = TLRUCache(
            maxsize=WINDOW_ENDS_REMEMBERED, ttu=_until_window_end, timer=time.time
        )

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
        the increment returns plus the window's end. A window's end is set when its counter
        is created and never moves, so it is read once per window and remembered until then:
        one storage call per limited request (one Redis round trip) instead of three."""
        key = item.key_for(*identifiers)
        count = await self.storage.incr(key, item.get_expiry())
        reset_time = self._window_ends.get(key)
        if reset_time is None:
            reset_time = await self.storage.get_expiry(key)
            self._window_ends[key] = reset_time
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
