"""The members' directory, for any signed-in user: names for user ids, and the one active
account with an exact e-mail address (to add someone to a project)."""

from typing import Annotated

from fastapi import APIRouter, Query

from auth_service.api.user_ids import MAX_IDS, parse_user_ids
from auth_service.deps import Context, CurrentUser
from auth_service.errors import UNAUTHORIZED, AuthErrorCode, auth_error
from auth_service.ratelimit import TooManyAttempts
from auth_service.schemas import DirectoryEntry
from auth_service.users import active_user_by_email, display_name, users_by_id
from platform_common.errors import error_responses

router = APIRouter(prefix="/users", tags=["users"])

USER_ID = "[0-9a-fA-F]{24}"

# RFC 5321's longest address; anything longer cannot match an account.
MAX_EMAIL_LENGTH = 320


@router.get(
    "/directory",
    name="users_directory",
    response_model=list[DirectoryEntry],
    summary="Names of users (any signed-in user)",
    # 401 for a service account's token too: only users may read the directory.
    responses=error_responses(
        {
            401: [UNAUTHORIZED],
            422: [AuthErrorCode.DIRECTORY_INVALID_ID, AuthErrorCode.DIRECTORY_TOO_MANY_IDS],
            429: [AuthErrorCode.DIRECTORY_TOO_MANY_LOOKUPS],  # see Retry-After
        }
    ),
)
async def directory(
    caller: CurrentUser,
    context: Context,
    ids: Annotated[
        str,
        Query(
            description=f"Up to {MAX_IDS} comma-separated user ids",
            # Declared; parse_user_ids answers anything else with its own 422 codes.
            json_schema_extra={"pattern": f"^{USER_ID}(,{USER_ID}){{0,{MAX_IDS - 1}}}$"},
        ),
    ],
) -> list[DirectoryEntry]:
    """Display names for the users among `ids` (unknown ids are left out; deactivated users
    are named, so their old tasks still read well). No e-mail, roles or status."""
    wanted = parse_user_ids(
        ids,
        too_many=AuthErrorCode.DIRECTORY_TOO_MANY_IDS,
        invalid=AuthErrorCode.DIRECTORY_INVALID_ID,
    )
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


@router.get(
    "/lookup",
    name="users_lookup",
    response_model=DirectoryEntry,
    summary="The active user with an exact e-mail address (any signed-in user)",
    responses=error_responses(
        {
            401: [UNAUTHORIZED],
            404: [AuthErrorCode.EMAIL_LOOKUP_NOT_FOUND],  # no active account has this address
            429: [AuthErrorCode.EMAIL_LOOKUP_TOO_MANY],  # see Retry-After
        }
    ),
)
async def lookup_by_email(
    caller: CurrentUser,
    context: Context,
    email: Annotated[
        str, Query(min_length=1, max_length=MAX_EMAIL_LENGTH, description="The exact address")
    ],
) -> DirectoryEntry:
    """The id and display name of the active account registered with `email` (compared as
    registration stores it: trimmed, lower-cased). No prefix or partial match, no listing;
    unknown and deactivated accounts get the same 404. Every look-up counts towards the
    caller's limit, found or not, so addresses cannot be guessed in bulk."""
    try:
        await context.email_lookups.count_or_refuse(str(caller.id))
    except TooManyAttempts as limited:
        raise auth_error(
            429,
            AuthErrorCode.EMAIL_LOOKUP_TOO_MANY,
            "Too many e-mail look-ups; try again later",
            headers={"Retry-After": str(limited.retry_after_s)},
        ) from None
    user = await active_user_by_email(email)
    if user is None:
        raise auth_error(
            404, AuthErrorCode.EMAIL_LOOKUP_NOT_FOUND, "No active account has this e-mail address"
        )
    return DirectoryEntry(id=str(user.id), display_name=display_name(user))
