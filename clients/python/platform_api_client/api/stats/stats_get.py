import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.stats import Stats
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    project_id: None | str | Unset = UNSET,
    project: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_project_id: None | str | Unset
    if isinstance(project_id, Unset):
        json_project_id = UNSET
    else:
        json_project_id = project_id
    params["project_id"] = json_project_id

    json_project: None | str | Unset
    if isinstance(project, Unset):
        json_project = UNSET
    else:
        json_project = project
    params["project"] = json_project

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.date):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.date):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/core/stats",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | Stats | None:
    if response.status_code == 200:
        response_200 = Stats.from_dict(response.json())

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
) -> Response[ErrorBody | Stats]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    project_id: None | str | Unset = UNSET,
    project: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
) -> Response[ErrorBody | Stats]:
    """Counts, load, daily flow, median cycle time and overdue tasks

     by_status, by_priority, open_by_assignee and overdue describe the tasks as they are
    now; per_day and the median cover tasks created / completed within from..to. The median
    is approximate (within 4.4%, see docs/core-api.md).

    Args:
        project_id (None | str | Unset): One project (default: all yours)
        project (None | str | Unset): Former name of project_id
        from_ (datetime.date | None | Unset):
        to (datetime.date | None | Unset): Inclusive

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Stats]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        project=project,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    project_id: None | str | Unset = UNSET,
    project: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
) -> ErrorBody | Stats | None:
    """Counts, load, daily flow, median cycle time and overdue tasks

     by_status, by_priority, open_by_assignee and overdue describe the tasks as they are
    now; per_day and the median cover tasks created / completed within from..to. The median
    is approximate (within 4.4%, see docs/core-api.md).

    Args:
        project_id (None | str | Unset): One project (default: all yours)
        project (None | str | Unset): Former name of project_id
        from_ (datetime.date | None | Unset):
        to (datetime.date | None | Unset): Inclusive

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Stats
    """

    return sync_detailed(
        client=client,
        project_id=project_id,
        project=project,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    project_id: None | str | Unset = UNSET,
    project: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
) -> Response[ErrorBody | Stats]:
    """Counts, load, daily flow, median cycle time and overdue tasks

     by_status, by_priority, open_by_assignee and overdue describe the tasks as they are
    now; per_day and the median cover tasks created / completed within from..to. The median
    is approximate (within 4.4%, see docs/core-api.md).

    Args:
        project_id (None | str | Unset): One project (default: all yours)
        project (None | str | Unset): Former name of project_id
        from_ (datetime.date | None | Unset):
        to (datetime.date | None | Unset): Inclusive

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Stats]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        project=project,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    project_id: None | str | Unset = UNSET,
    project: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
) -> ErrorBody | Stats | None:
    """Counts, load, daily flow, median cycle time and overdue tasks

     by_status, by_priority, open_by_assignee and overdue describe the tasks as they are
    now; per_day and the median cover tasks created / completed within from..to. The median
    is approximate (within 4.4%, see docs/core-api.md).

    Args:
        project_id (None | str | Unset): One project (default: all yours)
        project (None | str | Unset): Former name of project_id
        from_ (datetime.date | None | Unset):
        to (datetime.date | None | Unset): Inclusive

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Stats
    """

    return (
        await asyncio_detailed(
            client=client,
            project_id=project_id,
            project=project,
            from_=from_,
            to=to,
        )
    ).parsed
