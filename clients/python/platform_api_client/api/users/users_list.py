from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.user_page import UserPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    role: None | str | Unset = UNSET,
    ids: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_active: bool | None | Unset
    if isinstance(active, Unset):
        json_active = UNSET
    else:
        json_active = active
    params["active"] = json_active

    json_role: None | str | Unset
    if isinstance(role, Unset):
        json_role = UNSET
    else:
        json_role = role
    params["role"] = json_role

    json_ids: None | str | Unset
    if isinstance(ids, Unset):
        json_ids = UNSET
    else:
        json_ids = ids
    params["ids"] = json_ids

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/auth/users",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | UserPage | None:
    if response.status_code == 200:
        response_200 = UserPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

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
) -> Response[ErrorBody | UserPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    role: None | str | Unset = UNSET,
    ids: None | str | Unset = UNSET,
) -> Response[ErrorBody | UserPage]:
    """List users, ordered by e-mail (admins)

    Args:
        limit (int | Unset): Items per page (1-200) Default: 50.
        cursor (None | str | Unset): The `next` value of the previous page
        q (None | str | Unset): Part of e-mail or name
        active (bool | None | Unset):
        role (None | str | Unset):
        ids (None | str | Unset): Only these users: up to 100 comma-separated user ids

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | UserPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        q=q,
        active=active,
        role=role,
        ids=ids,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    role: None | str | Unset = UNSET,
    ids: None | str | Unset = UNSET,
) -> ErrorBody | UserPage | None:
    """List users, ordered by e-mail (admins)

    Args:
        limit (int | Unset): Items per page (1-200) Default: 50.
        cursor (None | str | Unset): The `next` value of the previous page
        q (None | str | Unset): Part of e-mail or name
        active (bool | None | Unset):
        role (None | str | Unset):
        ids (None | str | Unset): Only these users: up to 100 comma-separated user ids

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | UserPage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        q=q,
        active=active,
        role=role,
        ids=ids,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    role: None | str | Unset = UNSET,
    ids: None | str | Unset = UNSET,
) -> Response[ErrorBody | UserPage]:
    """List users, ordered by e-mail (admins)

    Args:
        limit (int | Unset): Items per page (1-200) Default: 50.
        cursor (None | str | Unset): The `next` value of the previous page
        q (None | str | Unset): Part of e-mail or name
        active (bool | None | Unset):
        role (None | str | Unset):
        ids (None | str | Unset): Only these users: up to 100 comma-separated user ids

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | UserPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        q=q,
        active=active,
        role=role,
        ids=ids,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    role: None | str | Unset = UNSET,
    ids: None | str | Unset = UNSET,
) -> ErrorBody | UserPage | None:
    """List users, ordered by e-mail (admins)

    Args:
        limit (int | Unset): Items per page (1-200) Default: 50.
        cursor (None | str | Unset): The `next` value of the previous page
        q (None | str | Unset): Part of e-mail or name
        active (bool | None | Unset):
        role (None | str | Unset):
        ids (None | str | Unset): Only these users: up to 100 comma-separated user ids

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | UserPage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            q=q,
            active=active,
            role=role,
            ids=ids,
        )
    ).parsed
