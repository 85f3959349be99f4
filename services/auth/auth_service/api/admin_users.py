"""The admin's user list; the rest of /users is fastapi-users' router."""

from typing import Annotated

from fastapi import APIRouter, Query

from auth_service.api.user_ids import MAX_IDS, parse_user_ids
from auth_service.deps import AdminUser
from auth_service.errors import FORBIDDEN, AuthErrorCode
from auth_service.schemas import Role, UserPage, UserRead
from auth_service.users import search_users
from platform_common.errors import error_responses

MAX_PER_PAGE = MAX_IDS  # so one page can always hold every user asked for

router = APIRouter(prefix="/users", tags=["users"])


@router.get(
    "",
    name="users_list",
    response_model=UserPage,
    summary="List users (admins)",
    responses=error_responses(
        {403: [FORBIDDEN], 422: [AuthErrorCode.USERS_INVALID_ID, AuthErrorCode.USERS_TOO_MANY_IDS]}
    ),
)
async def list_users(
    _: AdminUser,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
    q: Annotated[str | None, Query(max_length=200, description="Part of e-mail or name")] = None,
    active: bool | None = None,
    role: Role | None = None,
    ids: Annotated[
        str | None,
        Query(description=f"Only these users: up to {MAX_IDS} comma-separated user ids"),
    ] = None,
) -> UserPage:
    users, total = await search_users(
        text=q,
        active=active,
        role=role,
        ids=None
        if ids is None
        else parse_user_ids(
            ids, too_many=AuthErrorCode.USERS_TOO_MANY_IDS, invalid=AuthErrorCode.USERS_INVALID_ID
        ),
        skip=(page - 1) * per_page,
        limit=per_page,
    )
    return UserPage(
        items=[UserRead.model_validate(user) for user in users],
        total=total,
        page=page,
        per_page=per_page,
    )
