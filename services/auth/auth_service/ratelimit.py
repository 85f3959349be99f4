"""Brute-force limits on sign-in: failed attempts counted per account and per client
address in moving windows (the `limits` library). When either is used up, sign-in answers
429 with Retry-After until the oldest failure leaves the window; a successful sign-in
clears the account's count."""

import math
import time
from dataclasses import dataclass

from limits import parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string


@dataclass(frozen=True)
class TooManyAttempts(Exception):
    retry_after_s: int


class LoginThrottle:
    def __init__(self, *, account_limit: str, address_limit: str, storage_uri: str) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._account = parse(account_limit)
        self._address = parse(address_limit)

    async def check(self, account: str, address: str) -> None:
        """Raises TooManyAttempts when either counter is used up."""
        for item, key in (
            (self._account, f"account:{account}"),
            (self._address, f"address:{address}"),
        ):
            if not await self._limiter.test(item, "login", key):
                stats = await self._limiter.get_window_stats(item, "login", key)
                raise TooManyAttempts(max(1, math.ceil(stats.reset_time - time.time())))

    async def record_failure(self, account: str, address: str) -> None:
        await self._limiter.hit(self._account, "login", f"account:{account}")
        await self._limiter.hit(self._address, "login", f"address:{address}")

    async def reset(self, account: str) -> None:
        await self._limiter.clear(self._account, "login", f"account:{account}")
