"""Beanie documents owned by the auth service."""

from datetime import UTC, datetime

from beanie import Document, PydanticObjectId
from fastapi_users_db_beanie import BeanieBaseUser
from pydantic import Field, field_validator
from pymongo import IndexModel


def normalise_email(email: str) -> str:
    return email.strip().lower()


def utcnow() -> datetime:
    return datetime.now(UTC)


def saved_id(document: Document) -> PydanticObjectId:
    """The id of a document read from (or written to) the store."""
    if not isinstance(document.id, PydanticObjectId):
        raise ValueError(f"{type(document).__name__} has not been saved")
    return document.id


class User(BeanieBaseUser, Document):
    """An account. E-mails are stored lower-cased under a plain unique index: FerretDB v1
    has no collations, so fastapi-users-db-beanie's case-insensitive index cannot be used.
    `is_superuser` mirrors the "admin" role (fastapi-users checks the flag)."""

    full_name: str | None = Field(default=None, max_length=200)
    roles: list[str] = Field(default_factory=lambda: ["member"])
    created_at: datetime = Field(default_factory=utcnow)

    @field_validator("email")
    @classmethod
    def _store_normalised(cls, email: str) -> str:
        return normalise_email(email)

    class Settings:
        name = "users"
        indexes = [
            IndexModel("email", name="email_unique", unique=True),
            IndexModel("roles", name="roles"),
        ]


class RefreshToken(Document):
    """One refresh token, stored as its SHA-256 only. Tokens issued by rotating one another
    share a family; presenting a used one revokes the whole family. Documents are deleted
    by a periodic sweep after they expire (FerretDB v1 has no TTL indexes).

    The id of a token's successor is derived from the token's own id, so inserting the
    successor is what claims the token: FerretDB v1 applies conditional updates
    non-atomically, but an _id is unique even under concurrent inserts."""

    id: str  # type: ignore[assignment]
    token_hash: str
    family_id: str
    user_id: PydanticObjectId
    issued_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    # The session's, copied from token to token: when it was signed in and from what device.
    # `issued_at` of its live token is its last use (a sign-in or a renewal).
    session_started_at: datetime | None = None
    user_agent: str = ""

    class Settings:
        name = "refresh_tokens"
        indexes = [
            IndexModel("token_hash", name="token_hash_unique", unique=True),
            IndexModel("family_id", name="family_id"),
            IndexModel("user_id", name="user_id"),
            IndexModel("expires_at", name="expires_at"),
        ]


class ApiClient(Document):
    """A service account using the client-credentials grant. The secret is random (256
    bits), so a SHA-256 of it suffices; no slow hash is needed."""

    client_id: str
    secret_hash: str
    roles: list[str] = Field(default_factory=list)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "api_clients"
        indexes = [IndexModel("client_id", name="client_id_unique", unique=True)]


class RevokedSession(Document):
    """One entry of the revocation list that token consumers follow (revocation.py): `_id`
    is "user:<user id>" (tokens issued before `not_before` are refused) or "session:<sid>".
    Swept once `expires_at` has passed: by then every token it could refuse has expired."""

    id: str  # type: ignore[assignment]
    kind: str
    subject: str
    not_before: float = 0.0
    changed_at: float
    expires_at: datetime

    class Settings:
        name = "revoked_sessions"
        indexes = [
            IndexModel("changed_at", name="changed_at"),
            IndexModel("expires_at", name="expires_at"),
        ]


DOCUMENTS: list[type[Document]] = [User, RefreshToken, ApiClient, RevokedSession]
