from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.directory_entry import DirectoryEntry
from ...models.error_body import ErrorBody
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
) -> DirectoryEntry | ErrorBody | None:
    if response.status_code == 200:
        response_200 = DirectoryEntry.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 414:
        response_414 = ErrorBody.from_dict(response.json())

        return response_414

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 431:
        response_431 = ErrorBody.from_dict(response.json())

        return response_431

    if response.status_code == 502:
        response_502 = ErrorBody.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = ErrorBody.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DirectoryEntry | ErrorBody]:
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
) -> Response[DirectoryEntry | ErrorBody]:
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
        Response[DirectoryEntry | ErrorBody]
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
) -> DirectoryEntry | ErrorBody | None:
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
        DirectoryEntry | ErrorBody
    """

    return sync_detailed(
        client=client,
        email=email,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    email: str,
) -> Response[DirectoryEntry | ErrorBody]:
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
        Response[DirectoryEntry | ErrorBody]
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
) -> DirectoryEntry | ErrorBody | None:
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
        DirectoryEntry | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            email=email,
        )
    ).parsed
