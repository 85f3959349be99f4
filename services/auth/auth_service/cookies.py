"""The browser session's cookies (contract shared with the shell and the gateway):
farm_refresh (refresh token, only sent to the session endpoints), farm_access (the access
JWT, read by the gateway's shell page only; APIs never accept it), both HttpOnly, and
farm_session, a marker that holds no secret ("1") and that page script may read: it tells
the shell that there is a session to renew, so a first visit does not ask for one in vain."""

from fastapi import Request, Response

from auth_service.settings import AuthSettings

REFRESH_COOKIE = "farm_refresh"
ACCESS_COOKIE = "farm_access"
SESSION_MARKER_COOKIE = "farm_session"


def _cookies(settings: AuthSettings) -> list[tuple[str, str, int, bool]]:
    """Each cookie's name, path, lifetime and whether page script is kept from it."""
    return [
        (REFRESH_COOKIE, settings.refresh_cookie_path, settings.refresh_token_lifetime_s, True),
        (ACCESS_COOKIE, "/", settings.access_token_lifetime_s, True),
        (SESSION_MARKER_COOKIE, "/", settings.refresh_token_lifetime_s, False),
    ]


def _secure(request: Request, settings: AuthSettings) -> bool:
    # In production the platform is served over TLS: a proxy that forgot to say so must not
    # make the session cookies travel in clear text.
    return request.url.scheme == "https" or settings.environment == "production"


def uses_cookies(request: Request) -> bool:
    """Whether the caller is a browser, whose session lives in the cookies. Browsers send
    Fetch Metadata (Sec-Fetch-Site) on every request, and page script can neither set nor
    remove it; scripts and other systems send none."""
    return "sec-fetch-site" in request.headers


def set_session_cookies(
    response: Response,
    request: Request,
    settings: AuthSettings,
    *,
    access_token: str,
    refresh_token: str,
) -> None:
    values = {
        REFRESH_COOKIE: refresh_token,
        ACCESS_COOKIE: access_token,
        SESSION_MARKER_COOKIE: "1",
    }
    for name, path, max_age, httponly in _cookies(settings):
        response.set_cookie(
            name,
            values[name],
            max_age=max_age,
            path=path,
            httponly=httponly,
            samesite="strict",
            secure=_secure(request, settings),
        )


def clear_session_cookies(response: Response, request: Request, settings: AuthSettings) -> None:
    for name, path, _, httponly in _cookies(settings):
        response.delete_cookie(
            name, path=path, httponly=httponly, samesite="strict", secure=_secure(request, settings)
        )
