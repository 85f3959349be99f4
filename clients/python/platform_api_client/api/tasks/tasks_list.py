import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.priority import Priority
from ...models.task_page import TaskPage
from ...models.task_sort import TaskSort
from ...models.task_status import TaskStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    project_id: str,
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    sort: TaskSort | Unset = UNSET,
    status: list[TaskStatus] | None | Unset = UNSET,
    priority: list[Priority] | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    label: None | str | Unset = UNSET,
    due_before: datetime.date | None | Unset = UNSET,
    due_after: datetime.date | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_status: list[str] | None | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, list):
        json_status = []
        for status_type_0_item_data in status:
            status_type_0_item = status_type_0_item_data.value
            json_status.append(status_type_0_item)

    else:
        json_status = status
    params["status"] = json_status

    json_priority: list[str] | None | Unset
    if isinstance(priority, Unset):
        json_priority = UNSET
    elif isinstance(priority, list):
        json_priority = []
        for priority_type_0_item_data in priority:
            priority_type_0_item = priority_type_0_item_data.value
            json_priority.append(priority_type_0_item)

    else:
        json_priority = priority
    params["priority"] = json_priority

    json_assignee: None | str | Unset
    if isinstance(assignee, Unset):
        json_assignee = UNSET
    else:
        json_assignee = assignee
    params["assignee"] = json_assignee

    json_label: None | str | Unset
    if isinstance(label, Unset):
        json_label = UNSET
    else:
        json_label = label
    params["label"] = json_label

    json_due_before: None | str | Unset
    if isinstance(due_before, Unset):
        json_due_before = UNSET
    elif isinstance(due_before, datetime.date):
        json_due_before = due_before.isoformat()
    else:
        json_due_before = due_before
    params["due_before"] = json_due_before

    json_due_after: None | str | Unset
    if isinstance(due_after, Unset):
        json_due_after = UNSET
    elif isinstance(due_after, datetime.date):
        json_due_after = due_after.isoformat()
    else:
        json_due_after = due_after
    params["due_after"] = json_due_after

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/core/projects/{project_id}/tasks".format(
            project_id=quote(str(project_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | TaskPage | None:
    if response.status_code == 200:
        response_200 = TaskPage.from_dict(response.json())

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
) -> Response[ErrorBody | TaskPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    sort: TaskSort | Unset = UNSET,
    status: list[TaskStatus] | None | Unset = UNSET,
    priority: list[Priority] | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    label: None | str | Unset = UNSET,
    due_before: datetime.date | None | Unset = UNSET,
    due_after: datetime.date | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
) -> Response[ErrorBody | TaskPage]:
    """List a project's tasks, a page at a time

    Args:
        project_id (str): 24 hex digits
        limit (int | Unset): Items per page (1-200) Default: 50.
        cursor (None | str | Unset): The `next` value of the previous page
        sort (TaskSort | Unset):
        status (list[TaskStatus] | None | Unset):
        priority (list[Priority] | None | Unset):
        assignee (None | str | Unset):
        label (None | str | Unset):
        due_before (datetime.date | None | Unset):
        due_after (datetime.date | None | Unset):
        q (None | str | Unset): In title

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TaskPage]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        sort=sort,
        status=status,
        priority=priority,
        assignee=assignee,
        label=label,
        due_before=due_before,
        due_after=due_after,
        q=q,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    sort: TaskSort | Unset = UNSET,
    status: list[TaskStatus] | None | Unset = UNSET,
    priority: list[Priority] | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    label: None | str | Unset = UNSET,
    due_before: datetime.date | None | Unset = UNSET,
    due_after: datetime.date | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
) -> ErrorBody | TaskPage | None:
    """List a project's tasks, a page at a time

    Args:
        project_id (str): 24 hex digits
        limit (int | Unset): Items per page (1-200) Default: 50.
        cursor (None | str | Unset): The `next` value of the previous page
        sort (TaskSort | Unset):
        status (list[TaskStatus] | None | Unset):
        priority (list[Priority] | None | Unset):
        assignee (None | str | Unset):
        label (None | str | Unset):
        due_before (datetime.date | None | Unset):
        due_after (datetime.date | None | Unset):
        q (None | str | Unset): In title

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TaskPage
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        limit=limit,
        cursor=cursor,
        sort=sort,
        status=status,
        priority=priority,
        assignee=assignee,
        label=label,
        due_before=due_before,
        due_after=due_after,
        q=q,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    sort: TaskSort | Unset = UNSET,
    status: list[TaskStatus] | None | Unset = UNSET,
    priority: list[Priority] | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    label: None | str | Unset = UNSET,
    due_before: datetime.date | None | Unset = UNSET,
    due_after: datetime.date | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
) -> Response[ErrorBody | TaskPage]:
    """List a project's tasks, a page at a time

    Args:
        project_id (str): 24 hex digits
        limit (int | Unset): Items per page (1-200) Default: 50.
        cursor (None | str | Unset): The `next` value of the previous page
        sort (TaskSort | Unset):
        status (list[TaskStatus] | None | Unset):
        priority (list[Priority] | None | Unset):
        assignee (None | str | Unset):
        label (None | str | Unset):
        due_before (datetime.date | None | Unset):
        due_after (datetime.date | None | Unset):
        q (None | str | Unset): In title

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TaskPage]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        limit=limit,
        cursor=cursor,
        sort=sort,
        status=status,
        priority=priority,
        assignee=assignee,
        label=label,
        due_before=due_before,
        due_after=due_after,
        q=q,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    sort: TaskSort | Unset = UNSET,
    status: list[TaskStatus] | None | Unset = UNSET,
    priority: list[Priority] | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    label: None | str | Unset = UNSET,
    due_before: datetime.date | None | Unset = UNSET,
    due_after: datetime.date | None | Unset = UNSET,
    q: None | str | Unset = UNSET,
) -> ErrorBody | TaskPage | None:
    """List a project's tasks, a page at a time

    Args:
        project_id (str): 24 hex digits
        limit (int | Unset): Items per page (1-200) Default: 50.
        cursor (None | str | Unset): The `next` value of the previous page
        sort (TaskSort | Unset):
        status (list[TaskStatus] | None | Unset):
        priority (list[Priority] | None | Unset):
        assignee (None | str | Unset):
        label (None | str | Unset):
        due_before (datetime.date | None | Unset):
        due_after (datetime.date | None | Unset):
        q (None | str | Unset): In title

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TaskPage
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            limit=limit,
            cursor=cursor,
            sort=sort,
            status=status,
            priority=priority,
            assignee=assignee,
            label=label,
            due_before=due_before,
            due_after=due_after,
            q=q,
        )
    ).parsed
