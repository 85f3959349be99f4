"""FastAPI dependencies that route signatures name: the caller, and what they may do."""

from typing import Annotated

from fastapi import Depends, Path, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from core_api.errors import ErrorCode
from core_api.events import EventBus
from core_api.principals import PrincipalChecker
from core_api.recovery import WriteIntents
from core_api.rollups import Rollups
from core_api.settings import CoreSettings
from core_api.version_claims import VersionClaims
from platform_common.errors import ApiError
from platform_common.pagination import CursorCodec
from platform_common.tokens import InvalidTokenError, Principal

_bearer = HTTPBearer(auto_error=False, description="Access token from /api/auth/jwt/login")


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise _unauthorized("TOKEN_MISSING", "A bearer access token is required")
    try:
        return await request.app.state.verifier.verify(credentials.credentials)
    except InvalidTokenError as error:
        raise _unauthorized(error.code, error.reason) from error


async def optional_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal | None:
    """The caller when a token is sent (a bad one is still refused), else None."""
    return None if credentials is None else await current_principal(request, credentials)


async def admin_principal(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if not principal.is_admin:
        raise ApiError(
            status.HTTP_403_FORBIDDEN, ErrorCode.ADMIN_REQUIRED, "Only admins may do this"
        )
    return principal


def _unauthorized(code: str, reason: str) -> ApiError:
    return ApiError(
        status.HTTP_401_UNAUTHORIZED,
        code,
        reason,
        headers={"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{reason}"'},
    )


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The caller's access token itself, for a call to another service on their behalf."""
    return credentials.credentials if credentials else ""


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
BearerToken = Annotated[str, Depends(bearer_token)]
AdminPrincipal = Annotated[Principal, Depends(admin_principal)]
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def _event_bus(request: Request) -> EventBus:
    return request.app.state.events


def _settings(request: Request) -> CoreSettings:
    return request.app.state.settings


def _version_claims(request: Request) -> VersionClaims:
    return request.app.state.version_claims


def _rollups(request: Request) -> Rollups:
    return request.app.state.rollups


def _cursors(request: Request) -> CursorCodec:
    return request.app.state.cursors


def _principals(request: Request) -> PrincipalChecker:
    return request.app.state.principals


def _write_intents(request: Request) -> WriteIntents:
    return request.app.state.write_intents


Events = Annotated[EventBus, Depends(_event_bus)]
RollupsDep = Annotated[Rollups, Depends(_rollups)]
Claims = Annotated[VersionClaims, Depends(_version_claims)]
Settings = Annotated[CoreSettings, Depends(_settings)]
Cursors = Annotated[CursorCodec, Depends(_cursors)]
Principals = Annotated[PrincipalChecker, Depends(_principals)]
Intents = Annotated[WriteIntents, Depends(_write_intents)]

# A project's or task's id in a path: 24 hex digits. Declared, not checked by FastAPI: the
# routes answer any other text with their own 422 INVALID_OBJECT_ID (access.parse_object_id).
ObjectIdPath = Annotated[
    str, Path(description="24 hex digits", json_schema_extra={"pattern": "^[0-9a-fA-F]{24}$"})
]
