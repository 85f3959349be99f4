from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.directory_entry import DirectoryEntry
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response


def _get_kwargs(
    *,
    email: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["email"] = email

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/auth/users/lookup",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | DirectoryEntry | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = DirectoryEntry.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = cast(Any, None)
        return response_401

    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = cast(Any, None)
        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | DirectoryEntry | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    email: str,
) -> Response[Any | DirectoryEntry | HTTPValidationError]:
    """The active user with an exact e-mail address (any signed-in user)

     The id and display name of the active account registered with `email` (compared as
    registration stores it: trimmed, lower-cased). No prefix or partial match, no listing;
    unknown and deactivated accounts get the same 404. Every look-up counts towards the
    caller's limit, found or not, so addresses cannot be guessed in bulk.

    Args:
        email (str): The exact address

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | DirectoryEntry | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        email=email,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    email: str,
) -> Any | DirectoryEntry | HTTPValidationError | None:
    """The active user with an exact e-mail address (any signed-in user)

     The id and display name of the active account registered with `email` (compared as
    registration stores it: trimmed, lower-cased). No prefix or partial match, no listing;
    unknown and deactivated accounts get the same 404. Every look-up counts towards the
    caller's limit, found or not, so addresses cannot be guessed in bulk.

    Args:
        email (str): The exact address

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | DirectoryEntry | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        email=email,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    email: str,
) -> Response[Any | DirectoryEntry | HTTPValidationError]:
    """The active user with an exact e-mail address (any signed-in user)

     The id and display name of the active account registered with `email` (compared as
    registration stores it: trimmed, lower-cased). No prefix or partial match, no listing;
    unknown and deactivated accounts get the same 404. Every look-up counts towards the
    caller's limit, found or not, so addresses cannot be guessed in bulk.

    Args:
        email (str): The exact address

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | DirectoryEntry | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        email=email,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    email: str,
) -> Any | DirectoryEntry | HTTPValidationError | None:
    """The active user with an exact e-mail address (any signed-in user)

     The id and display name of the active account registered with `email` (compared as
    registration stores it: trimmed, lower-cased). No prefix or partial match, no listing;
    unknown and deactivated accounts get the same 404. Every look-up counts towards the
    caller's limit, found or not, so addresses cannot be guessed in bulk.

    Args:
        email (str): The exact address

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | DirectoryEntry | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            email=email,
        )
    ).parsed
