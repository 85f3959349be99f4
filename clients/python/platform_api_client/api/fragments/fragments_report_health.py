from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.fragments_report_health_response_fragments_report_health import (
    FragmentsReportHealthResponseFragmentsReportHealth,
)
from ...models.health_report_in import HealthReportIn
from ...models.http_validation_error import HTTPValidationError
from ...types import Response


def _get_kwargs(
    *,
    body: HealthReportIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/core/fragments/health-reports",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FragmentsReportHealthResponseFragmentsReportHealth | HTTPValidationError | None:
    if response.status_code == 202:
        response_202 = FragmentsReportHealthResponseFragmentsReportHealth.from_dict(response.json())

        return response_202

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[FragmentsReportHealthResponseFragmentsReportHealth | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: HealthReportIn,
) -> Response[FragmentsReportHealthResponseFragmentsReportHealth | HTTPValidationError]:
    """Report that a fragment version loaded or failed in the caller's shell

    Args:
        body (HealthReportIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FragmentsReportHealthResponseFragmentsReportHealth | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: HealthReportIn,
) -> FragmentsReportHealthResponseFragmentsReportHealth | HTTPValidationError | None:
    """Report that a fragment version loaded or failed in the caller's shell

    Args:
        body (HealthReportIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FragmentsReportHealthResponseFragmentsReportHealth | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: HealthReportIn,
) -> Response[FragmentsReportHealthResponseFragmentsReportHealth | HTTPValidationError]:
    """Report that a fragment version loaded or failed in the caller's shell

    Args:
        body (HealthReportIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FragmentsReportHealthResponseFragmentsReportHealth | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: HealthReportIn,
) -> FragmentsReportHealthResponseFragmentsReportHealth | HTTPValidationError | None:
    """Report that a fragment version loaded or failed in the caller's shell

    Args:
        body (HealthReportIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FragmentsReportHealthResponseFragmentsReportHealth | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
