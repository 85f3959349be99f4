"""Edge auth: protected routes need a valid bearer token before any upstream sees them.

The original token is forwarded unchanged; the services verify it again (defence in depth).
"""

import fnmatch
import re

from platform_common.tokens import InvalidTokenError, JWKSVerifier, Principal


class EdgeAuth:
    def __init__(self, public_paths: list[str], verifier: JWKSVerifier) -> None:
        self._public = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in public_paths))
        self.verifier = verifier

    def is_public(self, path: str) -> bool:
        return self._public.match(path) is not None

    async def principal(self, authorization: str | None) -> Principal:
        """The caller behind an `Authorization` header value; InvalidTokenError if none."""
        token = bearer_token(authorization)
        if token is None:
            raise InvalidTokenError("TOKEN_MISSING", "A bearer access token is required")
        return await self.verifier.verify(token)

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
