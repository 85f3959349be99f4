"""The signed-in user's sessions (one per sign-in, across its refresh-token rotations):
which devices, since when, last used when; and signing one of them out."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from auth_service.api.session import NOT_STORED, RefreshCookie
from auth_service.cookies import clear_session_cookies
from auth_service.deps import Context, CurrentUser
from auth_service.devices import describe_device
from auth_service.errors import AuthErrorCode, auth_error
from auth_service.models import RefreshToken, saved_id
from auth_service.schemas import SessionRead
from platform_common.errors import error_responses

router = APIRouter(prefix="/jwt/sessions", tags=["session"])

SessionId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
# The caller has no such session.
_UNKNOWN = error_responses({404: [AuthErrorCode.SESSION_NOT_FOUND]})


def _read(token: RefreshToken, current_family: str | None) -> SessionRead:
    return SessionRead(
        id=token.family_id,
        device=describe_device(token.user_agent),
        created_at=token.session_started_at or token.issued_at,
        last_used_at=token.issued_at,
        current=token.family_id == current_family,
    )


@router.get(
    "",
    name="sessions_list",
    response_model=list[SessionRead],
    summary="The caller's sessions, most recently used first",
    responses={401: {"description": "No valid user access token"}},
)
async def list_sessions(
    response: Response, user: CurrentUser, context: Context, cookie: RefreshCookie = None
) -> list[SessionRead]:
    stored = await context.refresh_tokens.stored(cookie) if cookie else None
    current = stored.family_id if stored and stored.user_id == user.id else None
    response.headers.update(NOT_STORED)
    tokens = await context.refresh_tokens.live_sessions(saved_id(user))
    return [_read(token, current) for token in tokens]


@router.delete(
    "/{session_id}",
    name="sessions_revoke",
    status_code=204,
    response_class=Response,
    summary="Sign one of the caller's sessions out",
    responses={401: {"description": "No valid user access token"}, **_UNKNOWN},
)
async def revoke_session(
    session_id: SessionId,
    request: Request,
    user: CurrentUser,
    context: Context,
    cookie: RefreshCookie = None,
) -> Response:
    if not await context.refresh_tokens.revoke_session(saved_id(user), session_id):
        raise auth_error(404, AuthErrorCode.SESSION_NOT_FOUND, "You have no such session")
    response = Response(status_code=204)
    stored = await context.refresh_tokens.stored(cookie) if cookie else None
    if stored is not None and stored.family_id == session_id:
        clear_session_cookies(response, request, context.settings)
    return response
