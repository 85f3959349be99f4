"""fastapi-users' storage adapter, made to work without collations."""

from typing import Any

from fastapi_users_db_beanie import BeanieUserDatabase

from auth_service.models import User, normalise_email


class UserDatabase(BeanieUserDatabase[User]):
    async def get_by_email(self, email: str) -> User | None:
        return await User.find_one(User.email == normalise_email(email))

    async def create(self, create_dict: dict[str, Any]) -> User:
        return await super().create({**create_dict, "email": normalise_email(create_dict["email"])})
