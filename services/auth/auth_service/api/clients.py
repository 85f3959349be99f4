"""Service accounts: admins manage API clients; clients get tokens at /token."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Response, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from auth_service.clients import (
    ClientExistsError,
    authenticate_client,
    create_client,
    find_client,
    list_clients,
)
from auth_service.deps import AdminUser, ClientAddress, Context
from auth_service.errors import ADMIN_ONLY, AuthErrorCode, auth_error
from auth_service.ratelimit import TooManyAttempts
from auth_service.schemas import ClientCreate, ClientCreated, ClientRead, ClientTokenResponse
from auth_service.tokens import CLIENT_SUBJECT_PREFIX
from platform_common.errors import error_responses

router = APIRouter(tags=["service accounts"])
basic_auth = HTTPBasic(auto_error=False)
ShortField = Annotated[str | None, Form(max_length=200)]


@router.post(
    "/clients",
    name="clients_create",
    status_code=201,
    response_model=ClientCreated,
    responses=error_responses(ADMIN_ONLY, {409: [AuthErrorCode.CLIENT_ALREADY_EXISTS]}),
)
async def create(body: ClientCreate, _: AdminUser) -> ClientCreated:
    """Creates an API client; the secret is in this answer only."""
    try:
        client, secret = await create_client(body.name, body.roles)
    except ClientExistsError:
        raise auth_error(
            409, AuthErrorCode.CLIENT_ALREADY_EXISTS, f"A client named {body.name!r} exists"
        ) from None
    return ClientCreated(**client.model_dump(), client_secret=secret)


@router.get(
    "/clients",
    name="clients_list",
    response_model=list[ClientRead],
    responses=error_responses(ADMIN_ONLY),
)
async def list_all(_: AdminUser) -> list[ClientRead]:
    return [ClientRead.model_validate(client.model_dump()) for client in await list_clients()]


@router.delete(
    "/clients/{client_id}",
    name="clients_deactivate",
    status_code=204,
    response_class=Response,
    responses=error_responses(ADMIN_ONLY, {404: [AuthErrorCode.CLIENT_NOT_FOUND]}),
)
async def deactivate(client_id: str, _: AdminUser, context: Context) -> Response:
    """Deactivates a client: it gets no new tokens, and the ones it holds are refused
    everywhere within seconds, as a deactivated user's are (a leaked secret is why one
    deactivates a client)."""
    client = await find_client(client_id)
    if client is None:
        raise auth_error(404, AuthErrorCode.CLIENT_NOT_FOUND, "No such client")
    await client.set({"is_active": False})
    await context.revocations.revoke_subject(CLIENT_SUBJECT_PREFIX + client.client_id)
    return Response(status_code=204)


def _oauth_error(
    status_code: int,
    code: AuthErrorCode,
    error: str,
    reason: str,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    # RFC 6749 §5.2 fields for OAuth2 client libraries, and the platform's ErrorBody fields
    # (code, message; detail until 1.0) for everyone else: one body is both.
    body = {"code": code, "message": reason, "detail": {"code": code, "reason": reason}}
    return JSONResponse(
        {"error": error, "error_description": reason, **body},
        status_code=status_code,
        headers=headers,
    )


@router.post(
    "/token",
    name="token_issue",
    response_model=ClientTokenResponse,
    responses=error_responses(
        {
            400: [AuthErrorCode.UNSUPPORTED_GRANT_TYPE],
            401: [AuthErrorCode.INVALID_CLIENT],
            429: [AuthErrorCode.CLIENT_TOO_MANY_ATTEMPTS],  # see Retry-After
        }
    ),
    # HTTP Basic, or no Authorization with the credentials in the form (RFC 6749 §2.3.1):
    # appended to the Basic requirement FastAPI declares, so the header is optional.
    openapi_extra={"security": [{}]},
)
async def token(
    context: Context,
    address: ClientAddress,
    grant_type: Annotated[str, Form(max_length=100)],
    basic: Annotated[HTTPBasicCredentials | None, Depends(basic_auth)],
    client_id: ShortField = None,
    client_secret: ShortField = None,
) -> ClientTokenResponse | JSONResponse:
    """OAuth2 client-credentials grant: credentials by HTTP Basic or in the form."""
    if grant_type != "client_credentials":
        return _oauth_error(
            400,
            AuthErrorCode.UNSUPPORTED_GRANT_TYPE,
            "unsupported_grant_type",
            "Only grant_type=client_credentials is accepted here",
        )
    try:
        await context.client_failures.check(address)
    except TooManyAttempts as limited:
        return _oauth_error(
            429,
            AuthErrorCode.CLIENT_TOO_MANY_ATTEMPTS,
            "temporarily_unavailable",
            "Too many failed client authentications from this address; try again later",
            headers={"Retry-After": str(limited.retry_after_s)},
        )
    name, secret = (basic.username, basic.password) if basic else (client_id, client_secret)
    client = await authenticate_client(name, secret) if name and secret else None
    if client is None:
        await context.client_failures.record(address)
        return _oauth_error(
            status.HTTP_401_UNAUTHORIZED,
            AuthErrorCode.INVALID_CLIENT,
            "invalid_client",
            "Unknown client, wrong secret or deactivated client",
            headers={"WWW-Authenticate": "Basic"},
        )
    access = context.access_tokens.issue(CLIENT_SUBJECT_PREFIX + client.client_id, client.roles)
    return ClientTokenResponse(access_token=access.token, expires_in=access.expires_in)
