"""Verifying the auth service's access tokens locally, from its published JWKS.

Every component that accepts a bearer token (gateway, core-api) uses this; nothing calls the
auth service per request. Keys are cached and refetched when a token names an unknown `kid`
(rotation), at most once per `min_refetch_interval_s` so garbage `kid`s cannot flood it.
Revoked sessions are refused from a RevocationView that a follower keeps current (see
platform_common.revocation).
"""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
from jwt import PyJWK, PyJWKSet

from platform_common.revocation import RevocationFollower, RevocationSettingsMixin, RevocationView

# Only asymmetric algorithms: a token may never choose HS256 (key confusion) or "none".
ALLOWED_ALGORITHMS = ("RS256", "EdDSA")
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub", "jti")


class InvalidTokenError(Exception):
    """The token is not acceptable; `code` says why (a stable machine-readable reason)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class Principal:
    """Who a verified token speaks for."""

    subject: str
    roles: frozenset[str]
    token_id: str
    expires_at: int
    email: str | None = None
    # The sign-in this token belongs to (the refresh-token family); None for service clients.
    session_id: str | None = None
    issued_at: float = 0.0
    claims: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


class JWKSVerifier:
    def __init__(
        self,
        *,
        jwks_url: str,
        issuer: str,
        audience: str,
        http: httpx.AsyncClient,
        cache_ttl_s: float = 300.0,
        min_refetch_interval_s: float = 5.0,
        leeway_s: float = 10.0,
        revocations: RevocationView | None = None,
    ) -> None:
        self.jwks_url = jwks_url
        self.issuer = issuer
        self.audience = audience
        self._http = http
        self._cache_ttl_s = cache_ttl_s
        self._min_refetch_interval_s = min_refetch_interval_s
        self._leeway_s = leeway_s
        self.revocations = revocations or RevocationView()
        self._keys: dict[str, PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidTokenError(
                "TOKEN_MALFORMED", "The token is not a well-formed JWT"
            ) from error
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in ALLOWED_ALGORITHMS:
            raise InvalidTokenError(
                "TOKEN_ALGORITHM_REJECTED", f"Algorithm {algorithm!r} is not accepted"
            )
        if not isinstance(kid, str):
            raise InvalidTokenError("TOKEN_KID_MISSING", "The token names no signing key (kid)")
        key = await self._key(kid)
        if key.algorithm_name != algorithm:
            raise InvalidTokenError(
                "TOKEN_ALGORITHM_REJECTED", "The token's algorithm does not match its key"
            )
        principal = self._decode(token, key, algorithm)
        self.ensure_not_revoked(principal)
        return principal

    def ensure_not_revoked(self, principal: Principal) -> None:
        """Raises TOKEN_REVOKED for a token of a revoked session; callers that cache
        verified principals call this on every use."""
        if self.revocations.revoked(principal.subject, principal.session_id, principal.issued_at):
            raise InvalidTokenError("TOKEN_REVOKED", "The token's session was revoked")

    def _decode(self, token: str, key: PyJWK, algorithm: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=[algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self._leeway_s,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.ExpiredSignatureError as error:
            raise InvalidTokenError("TOKEN_EXPIRED", "The token has expired") from error
        except jwt.InvalidAudienceError as error:
            raise InvalidTokenError(
                "TOKEN_AUDIENCE_REJECTED", "The token is for another audience"
            ) from error
        except jwt.InvalidIssuerError as error:
            raise InvalidTokenError(
                "TOKEN_ISSUER_REJECTED", "The token comes from another issuer"
            ) from error
        except jwt.MissingRequiredClaimError as error:
            raise InvalidTokenError("TOKEN_CLAIM_MISSING", str(error)) from error
        except jwt.PyJWTError as error:
            raise InvalidTokenError(
                "TOKEN_INVALID", "The token's signature or claims are invalid"
            ) from error
        roles = claims.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            raise InvalidTokenError("TOKEN_INVALID", "The token's roles claim is malformed")
        session_id, issued_at = claims.get("sid"), claims["iat"]
        if session_id is not None and not isinstance(session_id, str):
            raise InvalidTokenError("TOKEN_INVALID", "The token's sid claim is malformed")
        if not isinstance(issued_at, int | float):
            raise InvalidTokenError("TOKEN_INVALID", "The token's iat claim is malformed")
        return Principal(
            subject=str(claims["sub"]),
            roles=frozenset(roles),
            token_id=str(claims["jti"]),
            expires_at=int(claims["exp"]),
            email=claims.get("email"),
            session_id=session_id,
            issued_at=float(issued_at),
            claims=claims,
        )

    async def _key(self, kid: str) -> PyJWK:
        if kid in self._keys and not self._stale():
            return self._keys[kid]
        async with self._lock:
            if kid not in self._keys or self._stale():
                await self._refetch_if_allowed()
        if kid not in self._keys:
            raise InvalidTokenError("TOKEN_KID_UNKNOWN", "The token was signed with an unknown key")
        return self._keys[kid]

    def _stale(self) -> bool:
        return time.monotonic() - self._fetched_at > self._cache_ttl_s

    async def _refetch_if_allowed(self) -> None:
        if time.monotonic() - self._fetched_at < self._min_refetch_interval_s:
            return
        try:
            response = await self._http.get(self.jwks_url, timeout=5.0)
            response.raise_for_status()
            key_set = PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWKSetError) as error:
            if self._keys:
                return  # keep verifying with the keys we have; the auth service may be restarting
            raise InvalidTokenError(
                "TOKEN_KEYS_UNAVAILABLE", "The signing keys could not be fetched"
            ) from error
        self._keys = {key.key_id: key for key in key_set.keys if key.key_id}
        self._fetched_at = time.monotonic()


class TokenSettingsMixin(RevocationSettingsMixin):
    """What a token consumer needs; the defaults match the auth service's."""

    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    jwt_issuer: str = "http://127.0.0.1:8000/api/auth"
    jwt_audience: str = "farm-platform"


def revocation_follower(
    verifier: JWKSVerifier, settings: RevocationSettingsMixin, http: httpx.AsyncClient
) -> RevocationFollower:
    """The follower that keeps `verifier`'s revocation view current."""
    return RevocationFollower(
        verifier.revocations,
        feed_url=settings.revocation_feed(verifier.jwks_url),
        http=http,
        interval_s=settings.revocation_poll_interval_s,
        stale_after_s=settings.revocation_stale_after_s,
        redis_url=settings.revocation_redis_url,
    )


@asynccontextmanager
async def verifier_lifespan(app: Any, settings: TokenSettingsMixin) -> AsyncIterator[None]:
    """Puts a JWKSVerifier (with its own pooled HTTP client) on `app.state.verifier` and
    follows the auth service's revocations while the app runs."""
    async with httpx.AsyncClient() as http:
        app.state.verifier = verifier = JWKSVerifier(
            jwks_url=settings.jwks_url,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            http=http,
        )
        async with revocation_follower(verifier, settings, http).running():
            yield
