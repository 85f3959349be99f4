from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.canary_in import CanaryIn
from ...models.fragments_canary_start_response_fragments_canary_start import (
    FragmentsCanaryStartResponseFragmentsCanaryStart,
)
from ...models.http_validation_error import HTTPValidationError
from ...types import Response


def _get_kwargs(
    name: str,
    *,
    body: CanaryIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/core/fragments/{name}/canary".format(
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FragmentsCanaryStartResponseFragmentsCanaryStart | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = FragmentsCanaryStartResponseFragmentsCanaryStart.from_dict(response.json())

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
) -> Response[FragmentsCanaryStartResponseFragmentsCanaryStart | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: CanaryIn,
) -> Response[FragmentsCanaryStartResponseFragmentsCanaryStart | HTTPValidationError]:
    """Show a version to a percentage of signed-in users

    Args:
        name (str):
        body (CanaryIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FragmentsCanaryStartResponseFragmentsCanaryStart | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
    body: CanaryIn,
) -> FragmentsCanaryStartResponseFragmentsCanaryStart | HTTPValidationError | None:
    """Show a version to a percentage of signed-in users

    Args:
        name (str):
        body (CanaryIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FragmentsCanaryStartResponseFragmentsCanaryStart | HTTPValidationError
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: CanaryIn,
) -> Response[FragmentsCanaryStartResponseFragmentsCanaryStart | HTTPValidationError]:
    """Show a version to a percentage of signed-in users

    Args:
        name (str):
        body (CanaryIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FragmentsCanaryStartResponseFragmentsCanaryStart | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    body: CanaryIn,
) -> FragmentsCanaryStartResponseFragmentsCanaryStart | HTTPValidationError | None:
    """Show a version to a percentage of signed-in users

    Args:
        name (str):
        body (CanaryIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FragmentsCanaryStartResponseFragmentsCanaryStart | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
        )
    ).parsed
