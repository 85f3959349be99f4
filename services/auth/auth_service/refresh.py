"""Refresh tokens: opaque, stored hashed, rotated on every use, revoked by family.

A token is used once: rotating claims it by inserting its successor in the same family under
an id derived from the token's own (so of two concurrent uses exactly one wins; see
models.RefreshToken), then marks it used. Presenting a used token again means it was copied:
the whole family is revoked and the caller must sign in again.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from beanie import PydanticObjectId
from pymongo.errors import DuplicateKeyError

from auth_service.models import RefreshToken, utcnow
from auth_service.revocation import Revocations


class RefreshTokenError(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class NewRefreshToken:
    token: str
    user_id: PydanticObjectId
    family_id: str


MAX_USER_AGENT_LENGTH = 512


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def successor_id(token_id: str) -> str:
    return hashlib.sha256(f"{token_id}/next".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class _Session:
    """What every token of a family carries alike."""

    user_id: PydanticObjectId
    family_id: str
    started_at: datetime
    user_agent: str

    @classmethod
    def of(cls, token: RefreshToken) -> "_Session":
        # Tokens stored before sessions were described start when they were issued.
        started = token.session_started_at or token.issued_at
        return cls(token.user_id, token.family_id, started, token.user_agent)


class RefreshTokens:
    def __init__(self, lifetime_s: int, revocations: Revocations) -> None:
        self.lifetime_s = lifetime_s
        self.revocations = revocations

    async def issue(self, user_id: PydanticObjectId, user_agent: str = "") -> NewRefreshToken:
        """The first token of a new family (a sign-in from the device `user_agent` names)."""
        family = uuid.uuid4().hex
        session = _Session(user_id, family, utcnow(), user_agent[:MAX_USER_AGENT_LENGTH])
        return await self._insert(family, session)

    async def _insert(self, token_id: str, session: "_Session") -> NewRefreshToken:
        token = secrets.token_urlsafe(32)
        await RefreshToken(
            id=token_id,
            token_hash=hash_token(token),
            family_id=session.family_id,
            user_id=session.user_id,
            expires_at=utcnow() + timedelta(seconds=self.lifetime_s),
            session_started_at=session.started_at,
            user_agent=session.user_agent,
        ).insert()
        return NewRefreshToken(token=token, user_id=session.user_id, family_id=session.family_id)

    async def rotate(self, token: str) -> NewRefreshToken:
        """Uses `token` up and returns its successor; raises RefreshTokenError otherwise."""
        stored = await self._find(token)
        now = utcnow()
        if stored.revoked_at is not None:
            raise RefreshTokenError("REFRESH_TOKEN_REVOKED", "The refresh token was revoked")
        if stored.expires_at <= now:
            raise RefreshTokenError("REFRESH_TOKEN_EXPIRED", "The refresh token has expired")
        successor = None if stored.used_at else await self._claim(stored)
        if successor is None:
            await self.revoke_family(stored.family_id)
            raise RefreshTokenError(
                "REFRESH_TOKEN_REUSED",
                "The refresh token was already used; every session it belongs to is revoked",
            )
        await stored.set({RefreshToken.used_at: now})
        return successor

    async def _claim(self, stored: RefreshToken) -> NewRefreshToken | None:
        """Inserts the successor; None when another request already did (a reuse)."""
        try:
            return await self._insert(successor_id(stored.id), _Session.of(stored))
        except DuplicateKeyError:
            return None

    async def revoke(self, token: str) -> None:
        """Revokes the token's whole family (sign-out); unknown tokens raise."""
        await self.revoke_family((await self._find(token)).family_id)

    async def revoke_family(self, family_id: str) -> None:
        await _revoke_where({"family_id": family_id})
        await self.revocations.revoke_session(family_id)

    async def revoke_user(self, user_id: PydanticObjectId) -> None:
        """Sign-out everywhere, deactivation, password change."""
        await _revoke_where({"user_id": user_id})
        await self.revocations.revoke_subject(str(user_id))

    async def live_sessions(self, user_id: PydanticObjectId) -> list[RefreshToken]:
        """The live token of each of the user's sessions (one per family), newest use
        first."""
        live = RefreshToken.find(
            {
                "user_id": user_id,
                "used_at": None,
                "revoked_at": None,
                "expires_at": {"$gt": utcnow()},
            }
        )
        return sorted(await live.to_list(), key=lambda token: token.issued_at, reverse=True)

    async def revoke_session(self, user_id: PydanticObjectId, family_id: str) -> bool:
        """Signs one of the user's sessions out; False when the user has no such session."""
        owned = await RefreshToken.find_one({"family_id": family_id, "user_id": user_id})
        if owned is None:
            return False
        await self.revoke_family(family_id)
        return True

    async def stored(self, token: str) -> RefreshToken | None:
        """What is stored of `token`, or None when it is unknown."""
        return await RefreshToken.find_one(RefreshToken.token_hash == hash_token(token))

    async def _find(self, token: str) -> RefreshToken:
        stored = await self.stored(token)
        if stored is None:
            raise RefreshTokenError("REFRESH_TOKEN_INVALID", "The refresh token is not known")
        return stored


async def _revoke_where(query: dict[str, object]) -> None:
    await RefreshToken.get_pymongo_collection().update_many(
        {**query, "revoked_at": None}, {"$set": {"revoked_at": utcnow()}}
    )


async def sweep_expired(now: datetime | None = None) -> int:
    """Deletes expired refresh tokens; returns how many."""
    result = await RefreshToken.get_pymongo_collection().delete_many(
        {"expires_at": {"$lte": now or utcnow()}}
    )
    return result.deleted_count
