"""Forwarding one request to one upstream, streaming the body both ways.

Neither body is ever held whole: the request body is read from the client as the upstream
consumes it, and the response body is relayed chunk by chunk (so server-sent events pass
event by event). Failures become JSON errors naming the upstream.
"""

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx
import orjson
import structlog
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from gateway.breaker import CircuitBreaker
from gateway.metrics import GatewayMetrics
from gateway.settings import Upstream

log = structlog.get_logger("gateway.proxy")

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
# Only this gateway's forwarding claims are trusted; the client's are dropped. `expect` is
# answered by our own server, and `host` is the upstream's.
_DROPPED_REQUEST_HEADERS = HOP_BY_HOP | {
    "host",
    "expect",
    "x-request-id",
    "forwarded",
    "x-real-ip",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-forwarded-port",
    "x-forwarded-prefix",
}
# Our own server sets these on the response it sends.
_NOT_RELAYED = HOP_BY_HOP | {"date", "server"}

# Bodies up to this size with a declared length are relayed in one piece; larger ones and
# those of unknown length (event streams) chunk by chunk.
SMALL_BODY_BYTES = 256 * 1024

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class BodyTooLarge(Exception):
    pass


@dataclass
class UpstreamPool:
    """An upstream with its connection pool and its circuit breaker. Proxied requests go
    straight to `transport` (no cookie jar, redirects or auth); `client` shares the same
    pool for the gateway's own calls (readiness, docs, the shell page)."""

    upstream: Upstream
    transport: httpx.AsyncHTTPTransport
    client: httpx.AsyncClient
    breaker: CircuitBreaker
    timeouts: dict[str, float | None]
    base_url: str
    host: bytes


def make_pool(upstream: Upstream) -> UpstreamPool:
    timeout = httpx.Timeout(
        connect=upstream.connect_timeout_s,
        read=upstream.read_timeout_s,
        write=upstream.write_timeout_s,
        pool=upstream.pool_timeout_s,
    )
    transport = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(
            max_connections=upstream.max_connections,
            max_keepalive_connections=upstream.max_keepalive_connections,
            keepalive_expiry=30.0,
        ),
        trust_env=False,
    )
    client = httpx.AsyncClient(
        transport=transport,
        base_url=str(upstream.url),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        # A shared client must never keep one user's cookies for the next request.
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
    )
    breaker = CircuitBreaker(
        upstream.name,
        failure_threshold=upstream.breaker_failure_threshold,
        reset_timeout_s=upstream.breaker_reset_timeout_s,
    )
    base_url = str(upstream.url).rstrip("/")
    host = httpx.URL(base_url).netloc
    return UpstreamPool(upstream, transport, client, breaker, timeout.as_dict(), base_url, host)


def json_error(
    status: int, code: str, reason: str, headers: dict[str, str] | None = None, **extra: str
) -> Response:
    body = orjson.dumps({"detail": {"code": code, "reason": reason, **extra}})
    return Response(body, status_code=status, headers=headers, media_type="application/json")


def upstream_error(
    status: int, code: str, upstream: Upstream, reason: str, headers: dict[str, str] | None = None
) -> Response:
    return json_error(status, code, reason, headers, upstream=upstream.name)


def forwarded_request_headers(request: Request) -> list[tuple[bytes, bytes]]:
    named_by_connection = {
        token.strip().lower().encode("latin-1")
        for token in request.headers.get("connection", "").split(",")
    }
    headers = [
        (name, value)
        for name, value in request.scope["headers"]
        if name.decode("latin-1") not in _DROPPED_REQUEST_HEADERS
        and name not in named_by_connection
    ]
    client = request.client.host if request.client else "unknown"
    host = request.headers.get("host") or _server_address(request)
    return [
        *headers,
        (b"x-forwarded-for", client.encode("latin-1")),
        (b"x-forwarded-proto", request.url.scheme.encode("latin-1")),
        (b"x-forwarded-host", host.encode("latin-1")),
        (b"x-request-id", request.state.request_id.encode("latin-1")),
    ]


def _server_address(request: Request) -> str:
    server = request.scope.get("server")
    return f"{server[0]}:{server[1]}" if server else ""


def upstream_url(request: Request, pool: UpstreamPool) -> str:
    """The request's path with the public prefix stripped, its encoding kept as sent."""
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    prefix = pool.upstream.prefix.encode()
    path = raw_path[len(prefix) :] if raw_path.startswith(prefix) else raw_path
    url = pool.base_url + (path.decode("latin-1") or "/")
    query = request.scope["query_string"]
    return f"{url}?{query.decode('latin-1')}" if query else url


def declared_body_too_large(request: Request, max_bytes: int) -> bool:
    declared = request.headers.get("content-length")
    return declared is not None and declared.isdigit() and int(declared) > max_bytes


def _has_body(request: Request) -> bool:
    return "content-length" in request.headers or "transfer-encoding" in request.headers


class _RequestBody(httpx.AsyncByteStream):
    """The client's body, read only as the upstream takes it, cut off past `max_bytes`."""

    def __init__(self, request: Request, max_bytes: int) -> None:
        self._request = request
        self._max_bytes = max_bytes

    async def __aiter__(self) -> AsyncIterator[bytes]:
        seen = 0
        async for chunk in self._request.stream():
            seen += len(chunk)
            if seen > self._max_bytes:
                raise BodyTooLarge
            if chunk:
                yield chunk


class RelayedResponse(Response):
    """An upstream's response relayed chunk by chunk; the upstream connection is released
    however the relay ends (finished, client gone, upstream broke off)."""

    def __init__(
        self, upstream_response: httpx.Response, pool: UpstreamPool, metrics: GatewayMetrics
    ):
        self.status_code = upstream_response.status_code
        self.background = None
        named_by_connection = {
            token.strip().lower()
            for token in upstream_response.headers.get("connection", "").split(",")
        }
        self.raw_headers = [
            (name.lower(), value)
            for name, value in upstream_response.headers.raw
            if (key := name.lower().decode("latin-1")) not in _NOT_RELAYED
            and key not in named_by_connection
        ]
        self._upstream_response = upstream_response
        self._pool = pool
        self._metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": self.raw_headers,
                }
            )
            # Raw bytes pass through undecoded, so Content-Length and Content-Encoding stay true.
            if self._is_small():
                # One message: cheaper, and the compressor can judge the body by its size.
                body = b"".join([chunk async for chunk in self._upstream_response.aiter_raw()])
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
            async for chunk in self._upstream_response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except httpx.HTTPError as error:
            # Too late for an error status: breaking the connection tells the client the body
            # is incomplete (a clean end would pass a truncated body off as whole).
            name = self._pool.upstream.name
            self._metrics.upstream_errors.labels(name, "broken_stream").inc()
            scope.setdefault("state", {})["upstream_error"] = "broken_stream"
            log.warning("upstream broke off mid-response", upstream=name, error=repr(error))
            raise
        finally:
            await self._upstream_response.aclose()

    def _is_small(self) -> bool:
        length = self._upstream_response.headers.get("content-length", "")
        return length.isdigit() and int(length) <= SMALL_BODY_BYTES


class Forwarder:
    def __init__(self, metrics: GatewayMetrics) -> None:
        self.metrics = metrics

    async def forward(self, request: Request, pool: UpstreamPool) -> Response:
        upstream, breaker = pool.upstream, pool.breaker
        request.state.upstream = upstream.name
        if declared_body_too_large(request, upstream.max_body_bytes):
            return _too_large(upstream)
        if not breaker.allow_request():
            retry_after = str(breaker.retry_after_s())
            return upstream_error(
                503,
                "UPSTREAM_CIRCUIT_OPEN",
                upstream,
                f"{upstream.name} is failing; requests are paused for {retry_after}s",
                headers={"Retry-After": retry_after},
            )
        headers = [(b"host", pool.host), *forwarded_request_headers(request)]
        body = None
        if _has_body(request):
            body = _RequestBody(request, upstream.max_body_bytes)
            if "content-length" not in request.headers:
                headers.append((b"transfer-encoding", b"chunked"))
        outgoing = httpx.Request(
            request.method,
            upstream_url(request, pool),
            headers=headers,
            stream=body,
            extensions={"timeout": pool.timeouts},
        )
        started = time.perf_counter()
        try:
            upstream_response = await self._send_with_retries(request.method, pool, outgoing)
        except BodyTooLarge:
            breaker.release_probe()
            return _too_large(upstream)
        except ClientDisconnect:
            breaker.release_probe()
            return json_error(400, "CLIENT_DISCONNECTED", "The client went away mid-request")
        except httpx.HTTPError as error:
            if isinstance(error, httpx.PoolTimeout):
                breaker.release_probe()  # our own pool is full: says nothing about the upstream
            else:
                breaker.record_failure()
            return self._failure(request, upstream, error)
        finally:
            request.state.upstream_ms = round((time.perf_counter() - started) * 1000, 2)
        breaker.record_success()
        self.metrics.upstream_latency.labels(upstream.name).observe(time.perf_counter() - started)
        return RelayedResponse(upstream_response, pool, self.metrics)

    async def _send_with_retries(
        self, method: str, pool: UpstreamPool, outgoing: httpx.Request
    ) -> httpx.Response:
        upstream = pool.upstream
        attempt = 0
        while True:
            try:
                return await pool.transport.handle_async_request(outgoing)
            except (httpx.ConnectError, httpx.ConnectTimeout):
                # Nothing reached the upstream, so an idempotent request is safe to try again.
                if method not in IDEMPOTENT_METHODS or attempt >= upstream.connect_retries:
                    raise
                delay = min(upstream.retry_backoff_cap_s, upstream.retry_backoff_s * 2**attempt)
                attempt += 1
                self.metrics.retries.labels(upstream.name).inc()
                await asyncio.sleep(delay)

    def _failure(self, request: Request, upstream: Upstream, error: httpx.HTTPError) -> Response:
        kind, status, code, reason = _classify(upstream, error)
        self.metrics.upstream_errors.labels(upstream.name, kind).inc()
        request.state.upstream_error = kind
        log.warning("upstream request failed", upstream=upstream.name, error=repr(error))
        return upstream_error(status, code, upstream, reason)


def _classify(upstream: Upstream, error: httpx.HTTPError) -> tuple[str, int, str, str]:
    name = upstream.name
    if isinstance(error, httpx.PoolTimeout):
        return "busy", 503, "UPSTREAM_BUSY", f"{name} has too many requests in flight"
    if isinstance(error, httpx.TimeoutException):
        return "timeout", 504, "UPSTREAM_TIMEOUT", f"{name} did not answer in time"
    if isinstance(error, httpx.ConnectError):
        return "unreachable", 502, "UPSTREAM_UNREACHABLE", f"{name} is unreachable"
    return "bad_response", 502, "UPSTREAM_BAD_RESPONSE", f"{name} gave no valid HTTP answer"


def _too_large(upstream: Upstream) -> Response:
    return upstream_error(
        413,
        "BODY_TOO_LARGE",
        upstream,
        f"Request bodies to {upstream.name} are limited to {upstream.max_body_bytes} bytes",
    )
