"""Beanie documents owned by the auth service."""

from beanie import Document
from fastapi_users_db_beanie import BeanieBaseUser
from pydantic import Field, field_validator
from pymongo import IndexModel


def normalise_email(email: str) -> str:
    return email.strip().lower()


class User(BeanieBaseUser, Document):
    """An account. E-mails are stored lower-cased under a plain unique index: FerretDB v1
    has no collations, so fastapi-users-db-beanie's case-insensitive index cannot be used."""

    full_name: str | None = Field(default=None, max_length=200)
    roles: list[str] = Field(default_factory=lambda: ["member"])

    @field_validator("email")
    @classmethod
    def _store_normalised(cls, email: str) -> str:
        return normalise_email(email)

    class Settings:
        name = "users"
        indexes = [IndexModel("email", name="email_unique", unique=True)]


DOCUMENTS: list[type[Document]] = [User]
