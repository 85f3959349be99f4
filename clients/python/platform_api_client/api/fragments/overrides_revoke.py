from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.http_validation_error import HTTPValidationError
from ...models.overrides_revoke_response_overrides_revoke import (
    OverridesRevokeResponseOverridesRevoke,
)
from ...types import Response


def _get_kwargs(
    name: str,
    token_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/core/fragments/{name}/overrides/{token_id}".format(
            name=quote(str(name), safe=""),
            token_id=quote(str(token_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HTTPValidationError | OverridesRevokeResponseOverridesRevoke | None:
    if response.status_code == 200:
        response_200 = OverridesRevokeResponseOverridesRevoke.from_dict(response.json())

        return response_200

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[HTTPValidationError | OverridesRevokeResponseOverridesRevoke]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    token_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[HTTPValidationError | OverridesRevokeResponseOverridesRevoke]:
    """Revoke an override token

    Args:
        name (str):
        token_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | OverridesRevokeResponseOverridesRevoke]
    """

    kwargs = _get_kwargs(
        name=name,
        token_id=token_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    token_id: str,
    *,
    client: AuthenticatedClient,
) -> HTTPValidationError | OverridesRevokeResponseOverridesRevoke | None:
    """Revoke an override token

    Args:
        name (str):
        token_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | OverridesRevokeResponseOverridesRevoke
    """

    return sync_detailed(
        name=name,
        token_id=token_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    name: str,
    token_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[HTTPValidationError | OverridesRevokeResponseOverridesRevoke]:
    """Revoke an override token

    Args:
        name (str):
        token_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | OverridesRevokeResponseOverridesRevoke]
    """

    kwargs = _get_kwargs(
        name=name,
        token_id=token_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    token_id: str,
    *,
    client: AuthenticatedClient,
) -> HTTPValidationError | OverridesRevokeResponseOverridesRevoke | None:
    """Revoke an override token

    Args:
        name (str):
        token_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | OverridesRevokeResponseOverridesRevoke
    """

    return (
        await asyncio_detailed(
            name=name,
            token_id=token_id,
            client=client,
        )
    ).parsed
