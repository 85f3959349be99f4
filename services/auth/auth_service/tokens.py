"""Access tokens: RS256 JWTs with kid, iss, aud, sub, exp, iat, jti, roles (and email and
sid, the session, for users), signed by the key ring's active key. `iat` has millisecond
precision, so a token issued right after a revocation is told apart from one issued just
before it (revocation.py).

Verification here serves this service's own bearer-protected routes, which only need to
know whether a token is good: it reads the keys from the ring, not over HTTP, and reports
every failure alike. Other services verify with platform_common.tokens.JWKSVerifier, which
tells the reasons apart.
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
LEEWAY_S = 10.0  # clock skew between the hosts that sign and verify


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: int


class AccessTokens:
    def __init__(
        self,
        ring: Callable[[], KeyRing],
        *,
        issuer: str,
        audience: str,
        lifetime_s: int,
    ) -> None:
        self._ring = ring
        self.issuer = issuer
        self.audience = audience
        self.lifetime_s = lifetime_s

    def issue(
        self,
        subject: str,
        roles: Iterable[str],
        email: str | None = None,
        session_id: str | None = None,
    ) -> IssuedToken:
        key = self._ring().active
        now = time.time()
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "iat": round(now, 3),
            "exp": int(now) + self.lifetime_s,
            "jti": uuid.uuid4().hex,
            "roles": sorted(set(roles)),
        }
        if email is not None:
            claims["email"] = email
        if session_id is not None:
            claims["sid"] = session_id
        token = jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})
        return IssuedToken(token=token, expires_in=self.lifetime_s)

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims, or InvalidTokenError. Only RS256 is accepted (so never
        `none`, nor HS256 keyed with the public key), from a key in the ring."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            public_key = self._ring().public_key(kid) if isinstance(kid, str) else None
            if public_key is None:
                raise InvalidTokenError("TOKEN_KID_UNKNOWN", "The token names no key of ours")
            return jwt.decode(
                token,
                key=public_key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_S,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.PyJWTError as error:
            raise InvalidTokenError("TOKEN_INVALID", "The token is not acceptable") from error
