"""Access tokens: RS256 JWTs with kid, iss, aud, sub, exp, iat, jti, roles (and email for
users), signed by the key ring's active key.

Verification here (for this service's own bearer-protected routes) applies the same rules
as platform_common.tokens.JWKSVerifier, but reads the keys from the ring instead of HTTP.
"""

import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import jwt

from auth_service.keys import ALGORITHM, KeyRing
from platform_common.tokens import REQUIRED_CLAIMS, InvalidTokenError

CLIENT_SUBJECT_PREFIX = "client:"


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: int
    jti: str


class AccessTokens:
    def __init__(
        self,
        ring: Callable[[], KeyRing],
        *,
        issuer: str,
        audience: str,
        lifetime_s: int,
        leeway_s: float = 10.0,
    ) -> None:
        self._ring = ring
        self.issuer = issuer
        self.audience = audience
        self.lifetime_s = lifetime_s
        self._leeway_s = leeway_s

    def issue(self, subject: str, roles: Iterable[str], email: str | None = None) -> IssuedToken:
        key = self._ring().active
        now = int(time.time())
        jti = uuid.uuid4().hex
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "iat": now,
            "exp": now + self.lifetime_s,
            "jti": jti,
            "roles": sorted(set(roles)),
        }
        if email is not None:
            claims["email"] = email
        token = jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})
        return IssuedToken(token=token, expires_in=self.lifetime_s, jti=jti)

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims, or InvalidTokenError with the reason's code."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidTokenError(
                "TOKEN_MALFORMED", "The token is not a well-formed JWT"
            ) from error
        if header.get("alg") != ALGORITHM:
            raise InvalidTokenError("TOKEN_ALGORITHM_REJECTED", "The token's algorithm is refused")
        kid = header.get("kid")
        public_key = self._ring().public_key(kid) if isinstance(kid, str) else None
        if public_key is None:
            raise InvalidTokenError("TOKEN_KID_UNKNOWN", "The token was signed with an unknown key")
        try:
            return jwt.decode(
                token,
                key=public_key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self._leeway_s,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.ExpiredSignatureError as error:
            raise InvalidTokenError("TOKEN_EXPIRED", "The token has expired") from error
        except jwt.PyJWTError as error:
            raise InvalidTokenError("TOKEN_INVALID", "The token is not acceptable") from error
