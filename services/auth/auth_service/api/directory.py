"""The members' directory: names for user ids, for any signed-in user."""

from typing import Annotated

from beanie import PydanticObjectId
from bson import ObjectId
from fastapi import APIRouter, Query

from auth_service.deps import Context, CurrentUser
from auth_service.errors import AuthErrorCode, auth_error
from auth_service.ratelimit import TooManyAttempts
from auth_service.schemas import DirectoryEntry
from auth_service.users import display_name, users_by_id

MAX_IDS = 100

router = APIRouter(prefix="/users", tags=["users"])


def _parse_ids(ids: str) -> list[PydanticObjectId]:
    """The distinct ids of a comma-separated list, in the order given."""
    pieces = ids.split(",")
    if len(pieces) > MAX_IDS:
        raise auth_error(
            422, AuthErrorCode.DIRECTORY_TOO_MANY_IDS, f"Ask for at most {MAX_IDS} ids at once"
        )
    for position, piece in enumerate(pieces, start=1):
        if not ObjectId.is_valid(piece):
            raise auth_error(
                422,
                AuthErrorCode.DIRECTORY_INVALID_ID,
                f"Id number {position} is not a user id (24 hexadecimal digits)",
            )
    return list(dict.fromkeys(PydanticObjectId(piece) for piece in pieces))


@router.get(
    "/directory",
    response_model=list[DirectoryEntry],
    summary="Names of users (any signed-in user)",
    responses={
        401: {"description": "No valid user access token (service accounts included)"},
        422: {"description": "DIRECTORY_INVALID_ID or DIRECTORY_TOO_MANY_IDS"},
        429: {"description": "DIRECTORY_TOO_MANY_LOOKUPS; see Retry-After"},
    },
)
async def directory(
    caller: CurrentUser,
    context: Context,
    ids: Annotated[str, Query(description=f"Up to {MAX_IDS} comma-separated user ids")],
) -> list[DirectoryEntry]:
    """Display names for the users among `ids` (unknown ids are left out; deactivated users
    are named, so their old tasks still read well). No e-mail, roles or status."""
    wanted = _parse_ids(ids)
    try:
        await context.directory_lookups.count_or_refuse(str(caller.id), cost=len(wanted))
    except TooManyAttempts as limited:
        raise auth_error(
            429,
            AuthErrorCode.DIRECTORY_TOO_MANY_LOOKUPS,
            "Too many names looked up; try again later",
            headers={"Retry-After": str(limited.retry_after_s)},
        ) from None
    found = await users_by_id(wanted)
    return [
        DirectoryEntry(id=str(user_id), display_name=display_name(found[user_id]))
        for user_id in wanted
        if user_id in found
    ]
