"""fastapi-users' storage adapter, made to work without collations, the admin's user
search and the members' directory (by id, or one exact e-mail)."""

import re
from typing import Any

from beanie import PydanticObjectId
from beanie.operators import In
from fastapi_users import exceptions
from fastapi_users_db_beanie import BeanieUserDatabase
from pymongo.errors import DuplicateKeyError, OperationFailure

from auth_service.models import User, normalise_email, saved_id


class UserDatabase(BeanieUserDatabase[User]):
    """fastapi-users looks an address up before it registers or changes it, so two
    concurrent requests for one address can both pass the look-up; the unique index then
    decides, and the loser gets fastapi-users' "already exists" answer, not a 500."""

    async def get_by_email(self, email: str) -> User | None:
        return await User.find_one(User.email == normalise_email(email))

    async def create(self, create_dict: dict[str, Any]) -> User:
        try:
            return await super().create(
                {**create_dict, "email": normalise_email(create_dict["email"])}
            )
        except DuplicateKeyError:
            raise exceptions.UserAlreadyExists from None

    async def update(self, user: User, update_dict: dict[str, Any]) -> User:
        try:
            return await super().update(user, update_dict)
        except OperationFailure as error:
            if not _violates_unique_index(error):
                raise
            raise exceptions.UserAlreadyExists from None


def _violates_unique_index(error: OperationFailure) -> bool:
    # MongoDB says DuplicateKeyError; FerretDB v1 says so for inserts, but for an update
    # answers InternalError (code 1) carrying SQLite's message.
    return isinstance(error, DuplicateKeyError) or "UNIQUE constraint failed" in str(error)


def user_filter(
    *,
    text: str | None,
    active: bool | None,
    role: str | None,
    ids: list[PydanticObjectId] | None = None,
) -> dict[str, Any]:
    """The store query of the admin's user search: every given criterion must hold."""
    query: dict[str, Any] = {}
    if ids is not None:
        query["_id"] = {"$in": ids}
    if text:
        pattern = {"$regex": re.escape(text), "$options": "i"}
        query["$or"] = [{"email": pattern}, {"full_name": pattern}]
    if active is not None:
        query["is_active"] = active
    if role:
        query["roles"] = role
    return query


def display_name(user: User) -> str:
    """The full name, or the e-mail's local part when none is set (never the address)."""
    return user.full_name or user.email.partition("@")[0]


async def active_user_by_email(email: str) -> User | None:
    """The active account with exactly this address (as registration stores it), if any."""
    return await User.find_one({"email": normalise_email(email), "is_active": True})


async def users_by_id(ids: list[PydanticObjectId]) -> dict[PydanticObjectId, User]:
    """The users among `ids` that exist, active or not."""
    found = await User.find(In(User.id, ids)).to_list()
    return {saved_id(user): user for user in found}
