"""The browser session's cookies (contract shared with the shell and the gateway):
farm_refresh (refresh token, only sent to the session endpoints) and farm_access (the
access JWT, read by the gateway's shell page only; APIs never accept it)."""

from fastapi import Request, Response

from auth_service.settings import AuthSettings

REFRESH_COOKIE = "farm_refresh"
ACCESS_COOKIE = "farm_access"


def set_session_cookies(
    response: Response,
    request: Request,
    settings: AuthSettings,
    *,
    access_token: str,
    refresh_token: str,
) -> None:
    secure = request.url.scheme == "https"
    response.set_cookie(
        REFRESH_COOKIE,
        refresh_token,
        max_age=settings.refresh_token_lifetime_s,
        path=settings.refresh_cookie_path,
        httponly=True,
        samesite="strict",
        secure=secure,
    )
    response.set_cookie(
        ACCESS_COOKIE,
        access_token,
        max_age=settings.access_token_lifetime_s,
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure,
    )


def clear_session_cookies(response: Response, request: Request, settings: AuthSettings) -> None:
    secure = request.url.scheme == "https"
    for name, path in ((REFRESH_COOKIE, settings.refresh_cookie_path), (ACCESS_COOKIE, "/")):
        response.delete_cookie(name, path=path, httponly=True, samesite="strict", secure=secure)
