from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.manifest import Manifest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    override: list[str] | None | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    params: dict[str, Any] = {}

    json_override: list[str] | None | Unset
    if isinstance(override, Unset):
        json_override = UNSET
    elif isinstance(override, list):
        json_override = override

    else:
        json_override = override
    params["override"] = json_override

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/core/fragments/manifest",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | Manifest | None:
    if response.status_code == 200:
        response_200 = Manifest.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

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
) -> Response[Any | ErrorBody | Manifest]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    override: list[str] | None | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | ErrorBody | Manifest]:
    """What the caller's shell should load now (public: no token needed)

    Args:
        override (list[str] | None | Unset): Local-override tokens to apply
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | Manifest]
    """

    kwargs = _get_kwargs(
        override=override,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    override: list[str] | None | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | ErrorBody | Manifest | None:
    """What the caller's shell should load now (public: no token needed)

    Args:
        override (list[str] | None | Unset): Local-override tokens to apply
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | Manifest
    """

    return sync_detailed(
        client=client,
        override=override,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    override: list[str] | None | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | ErrorBody | Manifest]:
    """What the caller's shell should load now (public: no token needed)

    Args:
        override (list[str] | None | Unset): Local-override tokens to apply
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | Manifest]
    """

    kwargs = _get_kwargs(
        override=override,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    override: list[str] | None | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | ErrorBody | Manifest | None:
    """What the caller's shell should load now (public: no token needed)

    Args:
        override (list[str] | None | Unset): Local-override tokens to apply
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | Manifest
    """

    return (
        await asyncio_detailed(
            client=client,
            override=override,
            if_none_match=if_none_match,
        )
    ).parsed
