"""The admin's user list; the rest of /users is fastapi-users' router."""

from typing import Annotated

from beanie import PydanticObjectId
from bson import ObjectId
from fastapi import APIRouter, Query

from auth_service.deps import AdminUser
from auth_service.errors import AuthErrorCode, auth_error
from auth_service.schemas import Role, UserPage, UserRead
from auth_service.users import search_users

MAX_PER_PAGE = 100
MAX_IDS = MAX_PER_PAGE  # so one page can always hold every user asked for

router = APIRouter(prefix="/users", tags=["users"])


def _parse_ids(ids: str) -> list[PydanticObjectId]:
    """The distinct user ids of a comma-separated list."""
    pieces = ids.split(",")
    if len(pieces) > MAX_IDS:
        raise auth_error(
            422, AuthErrorCode.USERS_TOO_MANY_IDS, f"Ask for at most {MAX_IDS} ids at once"
        )
    for position, piece in enumerate(pieces, start=1):
        if not ObjectId.is_valid(piece):
            raise auth_error(
                422,
                AuthErrorCode.USERS_INVALID_ID,
                f"Id number {position} is not a user id (24 hexadecimal digits)",
            )
    return list(dict.fromkeys(PydanticObjectId(piece) for piece in pieces))


@router.get(
    "",
    response_model=UserPage,
    summary="List users (admins)",
    responses={422: {"description": "USERS_INVALID_ID or USERS_TOO_MANY_IDS, or a bad parameter"}},
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
        ids=None if ids is None else _parse_ids(ids),
        skip=(page - 1) * per_page,
        limit=per_page,
    )
    return UserPage(
        items=[UserRead.model_validate(user) for user in users],
        total=total,
        page=page,
        per_page=per_page,
    )
