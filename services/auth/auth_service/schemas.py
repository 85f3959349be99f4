"""Request and response bodies."""

from datetime import datetime
from typing import Annotated, Any, Literal

from beanie import PydanticObjectId
from fastapi_users import schemas
from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from auth_service.models import normalise_email
from auth_service.password_rules import MAX_PASSWORD_LENGTH


def _plain_email(value: str) -> str:
    # Look-alike (Cyrillic), full-width and invisible characters would make two accounts
    # that read the same; only ASCII addresses are accepted (IDN domains in punycode).
    if not value.isascii():
        raise ValueError("E-mail addresses must be plain ASCII (IDN domains in punycode)")
    return normalise_email(value)


Email = Annotated[EmailStr, AfterValidator(_plain_email)]
Role = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.:-]{0,63}$")]
Roles = Annotated[list[Role], Field(max_length=32)]
FullName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$"
    ),
]
ClientId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{1,62}$")]
# The lengths password_rules checks, declared (a refusal is its 400 with the reason, as for
# the rules a schema cannot say: zxcvbn's guessability, not the e-mail); a deployment may
# require more than the 10 characters (AUTH_PASSWORD_MIN_LENGTH).
Password = Annotated[
    str,
    Field(
        json_schema_extra={"minLength": 10, "maxLength": MAX_PASSWORD_LENGTH},
        description="At least 10 characters (or the deployment's minimum), not easy to guess",
    ),
]

BEARER: Literal["bearer"] = "bearer"
_PRIVILEGED = {"id", "is_superuser", "is_active", "is_verified", "oauth_accounts", "roles"}
_NOT_STORED = {"current_password"}


class UserRead(schemas.BaseUser[PydanticObjectId]):
    full_name: str | None = None
    roles: list[str]
    created_at: datetime | None = None


class SignUp(schemas.CreateUpdateDictModel):
    """What a person gives to sign up (POST /register). An account's flags and roles are the
    platform's to set: a field not listed here is refused (422), not silently ignored."""

    model_config = ConfigDict(extra="forbid")

    email: Email
    password: Password
    full_name: FullName | None = None


class UserCreate(SignUp, schemas.BaseUserCreate):
    """An account the operator's CLI creates: a sign-up's fields and the flags (it may verify
    the address)."""


class UserUpdate(schemas.BaseUserUpdate):
    """Users change their e-mail, password and name; admins also roles and activity. A user
    changing their own e-mail or password gives their current password too."""

    email: Email | None = None
    password: Password | None = None
    full_name: FullName | None = None
    roles: Roles | None = None
    current_password: Annotated[str, StringConstraints(max_length=1024)] | None = None

    def create_update_dict(self) -> dict[str, Any]:
        return self._changes(exclude=_PRIVILEGED | _NOT_STORED)

    def create_update_dict_superuser(self) -> dict[str, Any]:
        return self._changes(exclude={"id"} | _NOT_STORED)

    def _changes(self, exclude: set[str]) -> dict[str, Any]:
        # An explicit null clears the name; for any other field it means "no change".
        changes = self.model_dump(exclude_unset=True, exclude=exclude)
        return {
            key: value for key, value in changes.items() if value is not None or key == "full_name"
        }


class UserPage(BaseModel):
    items: list[UserRead]
    next: str | None


class DirectoryEntry(BaseModel):
    """What any signed-in user may know about another: who they are, not how to reach them."""

    id: str
    display_name: str


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = BEARER
    expires_in: int
    # Absent for browsers: their refresh token lives in the HttpOnly cookie only.
    refresh_token: str | None = None


class SessionRead(BaseModel):
    """One signed-in session of the caller's."""

    id: str
    device: str = Field(description='Browser and system, e.g. "Firefox on Windows"')
    created_at: datetime = Field(description="When it signed in")
    last_used_at: datetime = Field(description="Its last sign-in or token renewal")
    current: bool = Field(description="Whether it is the session making this request")


class ClientTokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = BEARER
    expires_in: int


class RefreshRequest(BaseModel):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=512)] | None = None


class ClientCreate(BaseModel):
    name: ClientId
    roles: Roles = []


class ClientRead(BaseModel):
    client_id: str
    roles: list[str]
    is_active: bool
    created_at: datetime


class ClientCreated(ClientRead):
    client_secret: str
