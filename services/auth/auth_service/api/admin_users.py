"""The admin's user list; the rest of /users is fastapi-users' router."""

from typing import Annotated

from fastapi import APIRouter, Query

from auth_service.deps import AdminUser
from auth_service.schemas import Role, UserPage, UserRead
from auth_service.users import search_users

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", response_model=UserPage, summary="List users (admins)")
async def list_users(
    _: AdminUser,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    q: Annotated[str | None, Query(max_length=200, description="Part of e-mail or name")] = None,
    active: bool | None = None,
    role: Role | None = None,
) -> UserPage:
    users, total = await search_users(
        text=q, active=active, role=role, skip=(page - 1) * per_page, limit=per_page
    )
    return UserPage(
        items=[UserRead.model_validate(user) for user in users],
        total=total,
        page=page,
        per_page=per_page,
    )
