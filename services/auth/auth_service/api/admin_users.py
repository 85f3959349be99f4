"""Admins manage users: the list (search, filters, cursor pages) and one user by id. The
caller's own account (/users/me) is fastapi-users' router; these routes call the same user
manager, under the platform's parameter names and error codes."""

from typing import Annotated

import pymongo
from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi_users import exceptions
from fastapi_users.router.common import ErrorCode as UsersErrorCode

from auth_service.api.user_ids import MAX_IDS, parse_user_ids
from auth_service.deps import AdminUser, Cursors, Manager
from auth_service.errors import ADMIN_ONLY, AuthErrorCode, auth_error
from auth_service.models import User
from auth_service.schemas import Role, UserPage, UserRead, UserUpdate
from auth_service.users import user_filter
from platform_common.errors import ErrorSets, error_responses
from platform_common.pagination import PAGED, Cursor, KeysetSort, Limit

router = APIRouter(prefix="/users", tags=["users"])

BY_EMAIL = KeysetSort("users-email", (("email", pymongo.ASCENDING), ("_id", pymongo.ASCENDING)))
ONE_USER: ErrorSets = {**ADMIN_ONLY, 404: [AuthErrorCode.USER_NOT_FOUND]}
UserId = Annotated[str, Path(max_length=64, description="The user's id (24 hexadecimal digits)")]


@router.get(
    "",
    name="users_list",
    response_model=UserPage,
    summary="List users, ordered by e-mail (admins)",
    responses=error_responses(
        ADMIN_ONLY,
        PAGED,
        {422: [AuthErrorCode.USERS_INVALID_ID, AuthErrorCode.USERS_TOO_MANY_IDS]},
    ),
)
async def list_users(
    _: AdminUser,
    cursors: Cursors,
    limit: Limit = 50,
    cursor: Cursor = None,
    q: Annotated[str | None, Query(max_length=200, description="Part of e-mail or name")] = None,
    active: bool | None = None,
    role: Role | None = None,
    ids: Annotated[
        str | None,
        Query(description=f"Only these users: up to {MAX_IDS} comma-separated user ids"),
    ] = None,
) -> UserPage:
    wanted = None
    if ids is not None:
        too_many, invalid = AuthErrorCode.USERS_TOO_MANY_IDS, AuthErrorCode.USERS_INVALID_ID
        wanted = parse_user_ids(ids, too_many=too_many, invalid=invalid)
    query = user_filter(text=q, active=active, role=role, ids=wanted)
    query = cursors.page_query(BY_EMAIL, query, cursor)
    collection = User.get_pymongo_collection()
    found = await collection.find(query).sort(BY_EMAIL.mongo_sort()).limit(limit + 1).to_list()
    items = found[:limit]
    return UserPage(
        items=[UserRead.model_validate(User.model_validate(raw)) for raw in items],
        next=cursors.encode(BY_EMAIL, items[-1]) if len(found) > limit else None,
    )


async def _user(_: AdminUser, user_id: UserId, manager: Manager) -> User:
    """The user `user_id` names, for an admin (others get 403 before any look-up). An id
    that is not one answers 404 like an unknown one, as fastapi-users' routes did."""
    try:
        return await manager.get(manager.parse_id(user_id))
    except (exceptions.UserNotExists, exceptions.InvalidID):
        raise auth_error(404, AuthErrorCode.USER_NOT_FOUND, "No user has this id") from None


TargetUser = Annotated[User, Depends(_user)]


@router.get(
    "/{user_id}",
    name="users_get",
    response_model=UserRead,
    summary="Read a user (admins)",
    responses=error_responses(ONE_USER),
)
async def get_user(user: TargetUser) -> UserRead:
    return UserRead.model_validate(user)


@router.patch(
    "/{user_id}",
    name="users_update",
    response_model=UserRead,
    summary="Change a user's roles, status, name, e-mail or password (admins)",
    responses=error_responses(
        ONE_USER,
        {
            400: [
                UsersErrorCode.UPDATE_USER_EMAIL_ALREADY_EXISTS,
                UsersErrorCode.UPDATE_USER_INVALID_PASSWORD,
            ]
        },
    ),
)
async def update_user(
    user: TargetUser, changes: UserUpdate, manager: Manager, request: Request
) -> UserRead:
    """Deactivating a user or setting their password ends their sessions (the user manager)."""
    try:
        updated = await manager.update(changes, user, safe=False, request=request)
    except exceptions.InvalidPasswordException as error:
        raise auth_error(
            400, UsersErrorCode.UPDATE_USER_INVALID_PASSWORD, str(error.reason)
        ) from None
    except exceptions.UserAlreadyExists:
        raise auth_error(
            400,
            UsersErrorCode.UPDATE_USER_EMAIL_ALREADY_EXISTS,
            "Another account has this e-mail address",
        ) from None
    return UserRead.model_validate(updated)


@router.delete(
    "/{user_id}",
    name="users_delete",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a user and end their sessions (admins)",
    responses=error_responses(ONE_USER),
)
async def delete_user(user: TargetUser, manager: Manager, request: Request) -> Response:
    await manager.delete(user, request=request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
