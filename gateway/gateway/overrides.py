"""Local fragment overrides on the shell page (the registry's contract: docs/fragments.md §6).

`?fragment_override=<token>` on a shell page stores the token in the `farm_fragment_override`
cookie (one token per fragment, comma-separated) and redirects without the parameter; later
page loads pass the stored tokens to the registry's manifest. The registry verifies them
(signature, expiry, revocation, subject): the gateway reads a token's claims unverified only
to know its fragment and expiry, and never trusts it for anything else.
"""

import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

import jwt
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

OVERRIDE_PARAM = "fragment_override"
OVERRIDE_COOKIE = "farm_fragment_override"
# The registry accepts at most this many override tokens in one manifest request.
MAX_OVERRIDES = 10


@dataclass(frozen=True)
class OverrideToken:
    token: str
    fragment: str
    expires_at: int


def read_token(token: str) -> OverrideToken | None:
    """The token's fragment and expiry, unverified; None if it is not a live override token."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    fragment, expires_at = claims.get("fragment"), claims.get("exp")
    if not isinstance(fragment, str) or not isinstance(expires_at, int):
        return None
    if expires_at <= time.time():
        return None
    return OverrideToken(token, fragment, expires_at)


def stored_tokens(request: Request) -> list[OverrideToken]:
    """The live tokens in the request's override cookie (expired ones are left out)."""
    value = request.cookies.get(OVERRIDE_COOKIE, "")
    tokens = [read_token(part.strip()) for part in value.split(",") if part.strip()]
    return [token for token in tokens if token is not None][:MAX_OVERRIDES]


def store_and_redirect(request: Request, secure: bool) -> Response:
    """Answers `?fragment_override=<token>`: the token joins the cookie (replacing one for the
    same fragment) and the browser goes to the same URL without the parameter."""
    response = RedirectResponse(_without_override_param(request), status_code=303)
    response.headers["cache-control"] = "no-store"
    new = read_token(request.query_params.get(OVERRIDE_PARAM, ""))
    if new is None:
        return response
    kept = [token for token in stored_tokens(request) if token.fragment != new.fragment]
    tokens = [*kept[: MAX_OVERRIDES - 1], new]
    response.set_cookie(
        OVERRIDE_COOKIE,
        ",".join(token.token for token in tokens),
        max_age=max(1, max(token.expires_at for token in tokens) - int(time.time())),
        path="/",
        secure=secure,
        httponly=True,
        samesite="strict",
    )
    return response


def clear_cookie(response: Response, secure: bool) -> None:
    response.delete_cookie(
        OVERRIDE_COOKIE, path="/", secure=secure, httponly=True, samesite="strict"
    )


def is_refusal(status: int, body: object) -> bool:
    """The registry refused an override token for good (403/422 with an `OVERRIDE_*` code in
    its ErrorBody), as opposed to a moment's trouble (409 OVERRIDE_BUSY, an outage)."""
    if status not in (403, 422) or not isinstance(body, dict):
        return False
    code = body.get("code")
    return isinstance(code, str) and code.startswith("OVERRIDE_")


def _without_override_param(request: Request) -> str:
    query = [
        (name, value)
        for name, value in parse_qsl(request.url.query, keep_blank_values=True)
        if name != OVERRIDE_PARAM
    ]
    # Never a scheme-relative `//host` Location: the redirect stays on this site.
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    path = "/" + raw_path.decode("latin-1").lstrip("/")
    return f"{path}?{urlencode(query)}" if query else path
