"""The browser session's cookies (contract shared with the shell and the gateway):
farm_refresh (refresh token, only sent to the session endpoints) and farm_access (the
access JWT, read by the gateway's shell page only; APIs never accept it)."""

from fastapi import Request, Response

from auth_service.settings import AuthSettings

REFRESH_COOKIE = "farm_refresh"
ACCESS_COOKIE = "farm_access"


def _cookies(settings: AuthSettings) -> list[tuple[str, str, int]]:
    """Each cookie's name, path and lifetime."""
    return [
        (REFRESH_COOKIE, settings.refresh_cookie_path, settings.refresh_token_lifetime_s),
        (ACCESS_COOKIE, "/", settings.access_token_lifetime_s),
    ]


def _secure(request: Request, settings: AuthSettings) -> bool:
    # In production the platform is served over TLS: a proxy that forgot to say so must not
    # make the session cookies travel in clear text.
    return request.url.scheme == "https" or settings.environment == "production"


def set_session_cookies(
    response: Response,
    request: Request,
    settings: AuthSettings,
    *,
    access_token: str,
    refresh_token: str,
) -> None:
    values = {REFRESH_COOKIE: refresh_token, ACCESS_COOKIE: access_token}
    for name, path, max_age in _cookies(settings):
        response.set_cookie(
            name,
            values[name],
            max_age=max_age,
            path=path,
            httponly=True,
            samesite="strict",
            secure=_secure(request, settings),
        )


def clear_session_cookies(response: Response, request: Request, settings: AuthSettings) -> None:
    for name, path, _ in _cookies(settings):
        response.delete_cookie(
            name, path=path, httponly=True, samesite="strict", secure=_secure(request, settings)
        )
