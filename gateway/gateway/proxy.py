"""Forwarding one request to one upstream, streaming the body both ways."""

import httpx
from fastapi import Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from gateway.settings import Upstream

# RFC 9110 §7.6.1: meaningful for one connection only, never forwarded.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)

# Our own server sets these on the response it sends.
_NOT_RELAYED = HOP_BY_HOP | {"date", "server"}


def make_client(upstream: Upstream) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=str(upstream.url),
        timeout=httpx.Timeout(
            connect=upstream.connect_timeout_s, read=upstream.read_timeout_s, write=30.0, pool=5.0
        ),
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        follow_redirects=False,
    )


def _forwarded_request_headers(request: Request) -> list[tuple[str, str]]:
    named_by_connection = {
        token.strip().lower() for token in request.headers.get("connection", "").split(",")
    }
    # The client's own forwarding claims are dropped: only this gateway's are trusted.
    dropped = HOP_BY_HOP | named_by_connection | {"host", "x-request-id"}
    headers = [
        (name, value)
        for name, value in request.headers.items()
        if name not in dropped and not name.startswith("x-forwarded-")
    ]
    return [
        *headers,
        ("x-forwarded-for", request.client.host if request.client else "unknown"),
        ("x-forwarded-proto", request.url.scheme),
        ("x-forwarded-host", request.headers.get("host", "")),
        ("x-request-id", request.state.request_id),
    ]


def _error(status: int, code: str, upstream: Upstream, reason: str) -> JSONResponse:
    return JSONResponse(
        {"detail": {"code": code, "upstream": upstream.name, "reason": reason}}, status_code=status
    )


async def forward(
    request: Request, upstream: Upstream, client: httpx.AsyncClient, path: str
) -> Response:
    outgoing = client.build_request(
        request.method,
        path,
        params=request.url.query,
        headers=_forwarded_request_headers(request),
        content=request.stream(),
    )
    try:
        upstream_response = await client.send(outgoing, stream=True)
    except httpx.TimeoutException:
        return _error(504, "UPSTREAM_TIMEOUT", upstream, f"{upstream.name} did not answer in time")
    except httpx.TransportError:
        return _error(502, "UPSTREAM_UNREACHABLE", upstream, f"{upstream.name} is unreachable")
    # Raw bytes pass through undecoded, so Content-Length and Content-Encoding stay true.
    headers = [
        (name.lower(), value)
        for name, value in upstream_response.headers.raw
        if name.lower().decode("latin-1") not in _NOT_RELAYED
    ]
    response = StreamingResponse(
        upstream_response.aiter_raw(),
        status_code=upstream_response.status_code,
        background=BackgroundTask(upstream_response.aclose),
    )
    response.raw_headers = headers
    return response
