"""Sign-in, refresh, sign-out: the browser session and scripts' token pairs."""

from typing import Annotated

from fastapi import APIRouter, Cookie, Depends, HTTPException, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from fastapi_users.router.common import ErrorCode

from auth_service.context import AuthContext
from auth_service.cookies import (
    REFRESH_COOKIE,
    clear_session_cookies,
    set_session_cookies,
    uses_cookies,
)
from auth_service.deps import ClientAddress, Context, CurrentUser, Manager
from auth_service.errors import AuthErrorCode, auth_error
from auth_service.models import User, normalise_email, saved_id
from auth_service.ratelimit import TooManyAttempts
from auth_service.refresh import NewRefreshToken, RefreshTokenError
from auth_service.schemas import RefreshRequest, TokenResponse
from platform_common.errors import error_responses

router = APIRouter(prefix="/jwt", tags=["session"])

# Token responses must not be kept by any cache (RFC 6749 section 5.1).
NOT_STORED = {"Cache-Control": "no-store", "Pragma": "no-cache"}

RefreshCookie = Annotated[str | None, Cookie(alias=REFRESH_COOKIE, max_length=512)]
# Missing, unknown, expired, revoked or reused refresh token.
_UNAUTHORIZED = error_responses(
    {
        status.HTTP_401_UNAUTHORIZED: [
            AuthErrorCode.REFRESH_TOKEN_MISSING,
            AuthErrorCode.REFRESH_TOKEN_INVALID,
            AuthErrorCode.REFRESH_TOKEN_EXPIRED,
            AuthErrorCode.REFRESH_TOKEN_REVOKED,
            AuthErrorCode.REFRESH_TOKEN_REUSED,
            AuthErrorCode.USER_INACTIVE,
        ]
    }
)


def _token_pair(
    context: AuthContext,
    request: Request,
    response: Response,
    user: User,
    refresh: NewRefreshToken,
    *,
    refresh_in_body: bool,
) -> TokenResponse:
    """A new access token for `user` in `refresh`'s session, in the body and the cookies.
    The refresh token goes in the body only to callers that keep it themselves: in a
    browser session it lives in the HttpOnly cookie, out of reach of any page script."""
    access = context.access_tokens.issue(str(user.id), user.roles, user.email, refresh.family_id)
    set_session_cookies(
        response,
        request,
        context.settings,
        access_token=access.token,
        refresh_token=refresh.token,
    )
    response.headers.update(NOT_STORED)
    return TokenResponse(
        access_token=access.token,
        expires_in=access.expires_in,
        refresh_token=refresh.token if refresh_in_body else None,
    )


def _presented(body: RefreshRequest | None, cookie: str | None) -> str:
    token = (body.refresh_token if body else None) or cookie
    if not token:
        raise auth_error(
            401, AuthErrorCode.REFRESH_TOKEN_MISSING, "Send refresh_token in the body or the cookie"
        )
    return token


@router.post(
    "/login",
    name="session_login",
    response_model=TokenResponse,
    response_model_exclude_none=True,
    responses=error_responses(
        {
            400: [ErrorCode.LOGIN_BAD_CREDENTIALS, ErrorCode.LOGIN_USER_NOT_VERIFIED],
            429: [AuthErrorCode.LOGIN_TOO_MANY_ATTEMPTS],  # see Retry-After
        }
    ),
)
async def login(
    request: Request,
    response: Response,
    credentials: Annotated[OAuth2PasswordRequestForm, Depends()],
    manager: Manager,
    context: Context,
    address: ClientAddress,
) -> TokenResponse:
    account = normalise_email(credentials.username)
    try:
        await context.login_throttle.attempt(account, address)
    except TooManyAttempts as limited:
        raise auth_error(
            429,
            AuthErrorCode.LOGIN_TOO_MANY_ATTEMPTS,
            "Too many failed sign-ins; try again later",
            headers={"Retry-After": str(limited.retry_after_s)},
        ) from None
    user = await manager.authenticate(credentials)
    if user is None or not user.is_active:
        await context.login_throttle.failed(address)
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=ErrorCode.LOGIN_BAD_CREDENTIALS)
    await context.login_throttle.succeeded(account)
    if context.settings.verification_required and not user.is_verified:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=ErrorCode.LOGIN_USER_NOT_VERIFIED)
    refresh = await context.refresh_tokens.issue(
        saved_id(user), request.headers.get("user-agent", "")
    )
    return _token_pair(
        context, request, response, user, refresh, refresh_in_body=not uses_cookies(request)
    )


@router.post(
    "/refresh",
    name="session_refresh",
    response_model=TokenResponse,
    response_model_exclude_none=True,
    responses=_UNAUTHORIZED,
)
async def refresh(
    request: Request,
    response: Response,
    context: Context,
    cookie: RefreshCookie = None,
    body: RefreshRequest | None = None,
) -> TokenResponse:
    try:
        successor = await context.refresh_tokens.rotate(_presented(body, cookie))
    except RefreshTokenError as error:
        raise auth_error(401, error.code, error.reason) from None
    user = await User.get(successor.user_id)
    if (
        user is None
        or not user.is_active
        or (context.settings.verification_required and not user.is_verified)
    ):
        await context.refresh_tokens.revoke_family(successor.family_id)
        raise auth_error(401, AuthErrorCode.USER_INACTIVE, "The account cannot sign in")
    by_body = body is not None and body.refresh_token is not None
    return _token_pair(context, request, response, user, successor, refresh_in_body=by_body)


@router.post(
    "/logout",
    name="session_logout",
    status_code=204,
    response_class=Response,
    responses=_UNAUTHORIZED,
)
async def logout(
    request: Request,
    context: Context,
    cookie: RefreshCookie = None,
    body: RefreshRequest | None = None,
) -> Response:
    """Revokes the presented refresh token and every token rotated from it."""
    try:
        await context.refresh_tokens.revoke(_presented(body, cookie))
    except RefreshTokenError as error:
        raise auth_error(401, error.code, error.reason) from None
    response = Response(status_code=204)
    clear_session_cookies(response, request, context.settings)
    return response


@router.post("/logout-all", name="session_logout_all", status_code=204, response_class=Response)
async def logout_all(request: Request, user: CurrentUser, context: Context) -> Response:
    """Sign out everywhere: revokes every refresh token of the caller."""
    await context.refresh_tokens.revoke_user(saved_id(user))
    response = Response(status_code=204)
    clear_session_cookies(response, request, context.settings)
    return response
