from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.http_validation_error import HTTPValidationError
from ...models.member_put import MemberPut
from ...models.project_out import ProjectOut
from ...types import Response


def _get_kwargs(
    project_id: str,
    user_id: str,
    *,
    body: MemberPut,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/core/projects/{project_id}/members/{user_id}".format(
            project_id=quote(str(project_id), safe=""),
            user_id=quote(str(user_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | HTTPValidationError | ProjectOut | None:
    if response.status_code == 200:
        response_200 = ProjectOut.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = cast(Any, None)
        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | HTTPValidationError | ProjectOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: MemberPut,
) -> Response[Any | HTTPValidationError | ProjectOut]:
    """Add a member or change their role (owner)

     A new member must be a known, active user or service account (`client:<id>`), as
    the auth service says; changing a member's role asks nothing.

    Args:
        project_id (str):
        user_id (str): A user's id, or client:<client id> for a service account
        body (MemberPut):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | HTTPValidationError | ProjectOut]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        user_id=user_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: MemberPut,
) -> Any | HTTPValidationError | ProjectOut | None:
    """Add a member or change their role (owner)

     A new member must be a known, active user or service account (`client:<id>`), as
    the auth service says; changing a member's role asks nothing.

    Args:
        project_id (str):
        user_id (str): A user's id, or client:<client id> for a service account
        body (MemberPut):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | HTTPValidationError | ProjectOut
    """

    return sync_detailed(
        project_id=project_id,
        user_id=user_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: MemberPut,
) -> Response[Any | HTTPValidationError | ProjectOut]:
    """Add a member or change their role (owner)

     A new member must be a known, active user or service account (`client:<id>`), as
    the auth service says; changing a member's role asks nothing.

    Args:
        project_id (str):
        user_id (str): A user's id, or client:<client id> for a service account
        body (MemberPut):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | HTTPValidationError | ProjectOut]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        user_id=user_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    user_id: str,
    *,
    client: AuthenticatedClient,
    body: MemberPut,
) -> Any | HTTPValidationError | ProjectOut | None:
    """Add a member or change their role (owner)

     A new member must be a known, active user or service account (`client:<id>`), as
    the auth service says; changing a member's role asks nothing.

    Args:
        project_id (str):
        user_id (str): A user's id, or client:<client id> for a service account
        body (MemberPut):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | HTTPValidationError | ProjectOut
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            user_id=user_id,
            client=client,
            body=body,
        )
    ).parsed
