"""fastapi-users' storage adapter, made to work without collations, and the admin's user
search."""

import re
from typing import Any

from fastapi_users_db_beanie import BeanieUserDatabase

from auth_service.models import User, normalise_email


class UserDatabase(BeanieUserDatabase[User]):
    async def get_by_email(self, email: str) -> User | None:
        return await User.find_one(User.email == normalise_email(email))

    async def create(self, create_dict: dict[str, Any]) -> User:
        return await super().create({**create_dict, "email": normalise_email(create_dict["email"])})


async def search_users(
    *,
    text: str | None,
    active: bool | None,
    role: str | None,
    skip: int,
    limit: int,
) -> tuple[list[User], int]:
    """One page of users, ordered by e-mail, and how many match in all."""
    query: dict[str, Any] = {}
    if text:
        pattern = {"$regex": re.escape(text), "$options": "i"}
        query["$or"] = [{"email": pattern}, {"full_name": pattern}]
    if active is not None:
        query["is_active"] = active
    if role:
        query["roles"] = role
    found = User.find(query)
    total = await found.count()
    page = await User.find(query).sort("+email").skip(skip).limit(limit).to_list()
    return page, total
