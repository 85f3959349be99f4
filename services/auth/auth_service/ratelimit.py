"""Brute-force limits: failures counted per key in moving windows (the `limits` library).
When a count is used up the caller gets 429 with Retry-After until its oldest failure
leaves the window.

Sign-in counts per account and per client address, and a successful sign-in clears the
account's count. The client-credentials grant counts per client address only: client
secrets are 256 random bits, so a per-client lock would protect nothing and let anyone lock
a service account out."""

import math
import time
from dataclasses import dataclass
from typing import NoReturn

from limits import parse
from limits.aio.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class TooManyAttempts(Exception):
    retry_after_s: int


class FailureCounter:
    """Counts events per key in a moving window: failed sign-ins, or names looked up."""

    def __init__(self, limiter: MovingWindowRateLimiter, limit: str, scope: str) -> None:
        self._limiter = limiter
        self._limit = parse(limit)
        self._scope = scope

    async def check(self, key: str) -> None:
        """Raises TooManyAttempts when the count is used up."""
        if not await self._limiter.test(self._limit, self._scope, key):
            await self._refuse(key)

    async def count_or_refuse(self, key: str, cost: int = 1) -> None:
        """Counts `cost` events now, in the same step as the check."""
        if not await self._limiter.hit(self._limit, self._scope, key, cost=cost):
            await self._refuse(key)

    async def record(self, key: str) -> None:
        await self._limiter.hit(self._limit, self._scope, key)

    async def clear(self, key: str) -> None:
        await self._limiter.clear(self._limit, self._scope, key)

    async def _refuse(self, key: str) -> NoReturn:
        stats = await self._limiter.get_window_stats(self._limit, self._scope, key)
        raise TooManyAttempts(max(1, math.ceil(stats.reset_time - time.time())))


class LoginThrottle:
    def __init__(
        self, limiter: MovingWindowRateLimiter, *, account_limit: str, address_limit: str
    ) -> None:
        self._accounts = FailureCounter(limiter, account_limit, "login-account")
        self._addresses = FailureCounter(limiter, address_limit, "login-address")

    async def attempt(self, account: str, address: str) -> None:
        """Raises TooManyAttempts, or counts the attempt as the account's failure until
        `succeeded` clears it. Counting before the password is checked, not after it
        failed, keeps concurrent guesses from all passing a check while the hasher runs."""
        await self._addresses.check(address)
        await self._accounts.count_or_refuse(account)

    async def failed(self, address: str) -> None:
        await self._addresses.record(address)

    async def succeeded(self, account: str) -> None:
        await self._accounts.clear(account)
