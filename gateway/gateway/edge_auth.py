"""Edge auth: protected routes need a valid bearer token before any upstream sees them.

The original token is forwarded unchanged; the services verify it again (defence in depth).
A verified token is remembered until it expires (bounded LRU keyed by the token string), so a
client's repeated requests cost one signature check, not one each; whether its session was
revoked since is asked on every request.
"""

import fnmatch
import re
import time

from cachetools import TLRUCache

from platform_common.tokens import InvalidTokenError, JWKSVerifier, Principal

VERIFIED_TOKENS_CACHED = 10_000


def _until_expiry(_token: str, principal: Principal, _now: float) -> float:
    return float(principal.expires_at)


class EdgeAuth:
    def __init__(
        self,
        public_paths: list[str],
        verifier: JWKSVerifier,
        cache_size: int = VERIFIED_TOKENS_CACHED,
    ) -> None:
        self._public = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in public_paths))
        self.verifier = verifier
        self._verified: TLRUCache[str, Principal] = TLRUCache(
            maxsize=cache_size, ttu=_until_expiry, timer=time.time
        )

    def is_public(self, path: str) -> bool:
        return self._public.match(path) is not None

    async def principal(self, authorization: str | None) -> Principal:
        """The caller behind an `Authorization` header value; InvalidTokenError if none."""
        token = bearer_token(authorization)
        if token is None:
            raise InvalidTokenError("TOKEN_MISSING", "A bearer access token is required")
        return await self.verified(token)

    async def verified(self, token: str) -> Principal:
        """The token's principal: from the cache while the token lives, else verified."""
        principal = self._verified.get(token)
        if principal is None:
            principal = await self.verifier.verify(token)
            self._verified[token] = principal
        else:
            self.verifier.ensure_not_revoked(principal)
        return principal

    async def optional_principal(self, authorization: str | None) -> Principal | None:
        """On a public route a token is optional, but a present one still names the caller."""
        if bearer_token(authorization) is None:
            return None
        try:
            return await self.principal(authorization)
        except InvalidTokenError:
            return None


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
