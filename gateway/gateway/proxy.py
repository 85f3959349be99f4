"""Forwarding one request to one upstream, streaming the body both ways, as plain ASGI.

Neither body is ever held whole: the request body is read from the client as the upstream
consumes it, and the response body is relayed chunk by chunk (so server-sent events pass
event by event). Failures become JSON errors naming the upstream.

Proxied requests go through aiohttp's client (asyncio-native pool, C HTTP parser): it costs
a fraction of httpx/httpcore per request (docs/decisions/0006-gateway-proxies-with-aiohttp.md).
The gateway's own calls (readiness, API docs, the shell page) keep a small httpx client.
"""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import aiohttp
import httpx
import orjson
import structlog
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from yarl import URL

from gateway.breaker import CircuitBreaker
from gateway.errors import GatewayErrorCode
from gateway.metrics import GatewayMetrics
from gateway.settings import Upstream
from platform_common.errors import error_body

log = structlog.get_logger("gateway.proxy")

Headers = list[tuple[bytes, bytes]]

# RFC 9110 §7.6.1: meaningful for one connection only, never forwarded.
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
# Only this gateway's forwarding claims are trusted; the client's are dropped. `expect` is
# answered by our own server, and `host` is the upstream's.
_DROPPED_REQUEST_HEADERS = HOP_BY_HOP | {
    b"host",
    b"expect",
    b"x-request-id",
    b"forwarded",
    b"x-real-ip",
    b"x-forwarded-for",
    b"x-forwarded-host",
    b"x-forwarded-proto",
    b"x-forwarded-port",
    b"x-forwarded-prefix",
}
# Our own server sets these on the response it sends.
_NOT_RELAYED = HOP_BY_HOP | {b"date", b"server"}

# On an answer sent before the whole request body was read (the rest may still be coming).
CONNECTION_CLOSE = (b"connection", b"close")
# Bodies up to this size with a declared length are relayed in one piece; larger ones and
# those of unknown length (event streams) chunk by chunk.
SMALL_BODY_BYTES = 256 * 1024
# Response header lines an upstream may send (aiohttp's default is 8 KiB).
MAX_UPSTREAM_HEADER_BYTES = 32 * 1024

# Answers that may carry a Location an upstream built from its own address.
_MAY_NAME_A_LOCATION = frozenset({201, *range(300, 400)})

# Characters a path keeps unencoded when it is encoded again (RFC 3986 pchar and "/").
PATH_SAFE = "/:@!$&'()*+,;=-._~"

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Failures where nothing reached the upstream, so an idempotent request may be tried again.
_CONNECT_FAILURES = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
# aiohttp adds none of these itself: the client's own headers pass as they came.
_NO_AUTO_HEADERS = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")


class BodyTooLarge(Exception):
    pass


class ClientGone(Exception):
    pass


class ClientTooSlow(Exception):
    pass


class UpstreamBusy(Exception):
    pass


@dataclass
class UpstreamPool:
    """An upstream with its connection pool and its circuit breaker. Proxied requests use
    `session` (opened with the app); `client` serves the gateway's own calls."""

    upstream: Upstream
    client: httpx.AsyncClient
    breaker: CircuitBreaker
    # Where proxied requests go: the upstream's scheme and authority, and its base path.
    origin: URL
    base_path: str
    host: bytes
    prefix: bytes
    # The upstream's origin as it would appear in a Location it sends.
    location_origin: bytes
    timeout: aiohttp.ClientTimeout
    slots: asyncio.Semaphore
    session: aiohttp.ClientSession | None = field(default=None)

    async def open(self) -> None:
        upstream = self.upstream
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                limit=upstream.max_connections,
                limit_per_host=0,
                keepalive_timeout=30.0,
                use_dns_cache=True,
            ),
            timeout=self.timeout,
            auto_decompress=False,
            # A shared client must never keep one user's cookies for the next request.
            cookie_jar=aiohttp.DummyCookieJar(),
            skip_auto_headers=_NO_AUTO_HEADERS,
            max_line_size=MAX_UPSTREAM_HEADER_BYTES,
            max_field_size=MAX_UPSTREAM_HEADER_BYTES,
        )

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
        await self.client.aclose()


def make_pool(upstream: Upstream) -> UpstreamPool:
    client = httpx.AsyncClient(
        base_url=str(upstream.url),
        timeout=httpx.Timeout(
            connect=upstream.connect_timeout_s,
            read=upstream.read_timeout_s,
            write=upstream.write_timeout_s,
            pool=upstream.pool_timeout_s,
        ),
        limits=httpx.Limits(max_connections=16, max_keepalive_connections=4),
        follow_redirects=False,
        trust_env=False,
    )
    breaker = CircuitBreaker(
        upstream.name,
        failure_threshold=upstream.breaker_failure_threshold,
        reset_timeout_s=upstream.breaker_reset_timeout_s,
    )
    url = URL(str(upstream.url))
    timeout = aiohttp.ClientTimeout(
        total=None,
        sock_connect=upstream.connect_timeout_s,
        sock_read=upstream.read_timeout_s,
    )
    return UpstreamPool(
        upstream=upstream,
        client=client,
        breaker=breaker,
        origin=url.origin(),
        base_path=url.raw_path.rstrip("/"),
        host=url.raw_authority.encode(),
        prefix=upstream.prefix.rstrip("/").encode(),
        location_origin=str(url.origin()).encode(),
        timeout=timeout,
        slots=asyncio.Semaphore(upstream.max_connections),
    )


# The gateway's own codes, or the shared token verifier's (TOKEN_EXPIRED, TOKEN_REVOKED...).
ErrorCode = GatewayErrorCode | str


def json_body(code: ErrorCode, reason: str, **extra: str) -> bytes:
    """An ErrorBody, as every service answers errors (platform_common.errors), with the
    request id the edge bound for this request (also its X-Request-ID header)."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    detail = {"code": code, "reason": reason, **extra}
    return orjson.dumps(error_body(code, reason, request_id, detail=detail))


def json_error(
    status: int,
    code: GatewayErrorCode,
    reason: str,
    headers: dict[str, str] | None = None,
    **extra: str,
) -> Response:
    """The same error as a Starlette response, for the gateway's own routes."""
    body = json_body(code, reason, **extra)
    return Response(body, status_code=status, headers=headers, media_type="application/json")


async def send_json_error(
    send: Send,
    status: int,
    code: ErrorCode,
    reason: str,
    headers: Iterable[tuple[bytes, bytes]] = (),
    **extra: str,
) -> None:
    body = json_body(code, reason, **extra)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


@dataclass
class IncomingRequest:
    """What the proxy needs from the client's request, read from the scope in one pass."""

    method: str
    forwarded_headers: Headers
    content_length: int | None
    chunked: bool

    @property
    def has_body(self) -> bool:
        return self.content_length is not None or self.chunked


def read_incoming(scope: Scope, pool: UpstreamPool) -> IncomingRequest:
    headers = scope["headers"]
    named_by_connection: set[bytes] = set()
    content_length: int | None = None
    chunked = False
    host = b""
    for name, value in headers:
        if name == b"connection":
            named_by_connection.update(token.strip().lower() for token in value.split(b","))
        elif name == b"content-length" and value.isdigit():
            content_length = int(value)
        elif name == b"transfer-encoding":
            chunked = True
        elif name == b"host":
            host = value
    forwarded: Headers = [(b"host", pool.host)]
    forwarded.extend(
        (name, value)
        for name, value in headers
        if name not in _DROPPED_REQUEST_HEADERS and name not in named_by_connection
    )
    client = scope.get("client")
    forwarded.append((b"x-forwarded-for", client[0].encode("latin-1") if client else b"unknown"))
    forwarded.append((b"x-forwarded-proto", scope["scheme"].encode("latin-1")))
    forwarded.append((b"x-forwarded-host", host or _server_address(scope)))
    forwarded.append((b"x-request-id", scope["state"]["request_id"].encode("latin-1")))
    # A body of unknown length goes on chunked: aiohttp frames it so itself.
    return IncomingRequest(scope["method"], forwarded, content_length, chunked)


def _server_address(scope: Scope) -> bytes:
    server = scope.get("server")
    return f"{server[0]}:{server[1]}".encode() if server else b""


def upstream_url(scope: Scope, pool: UpstreamPool) -> URL:
    """The request's path with the public prefix stripped, its encoding kept as sent, on the
    upstream's own origin: whatever the path holds (`%2F@other.host`), it never names
    another host."""
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    prefix = pool.prefix
    if raw_path.startswith(prefix) and raw_path[len(prefix) : len(prefix) + 1] in (b"", b"/"):
        rest = raw_path[len(prefix) :].decode("latin-1")
    else:
        # The prefix itself came percent-encoded: forward the decoded path that was routed
        # (and authorised), encoded again.
        rest = quote(scope["path"][len(prefix) :], safe=PATH_SAFE)
    return URL.build(
        scheme=pool.origin.scheme,
        authority=pool.origin.raw_authority,
        path=pool.base_path + (rest or "/"),
        query_string=scope["query_string"].decode("latin-1"),
        encoded=True,
    )


@dataclass(frozen=True)
class BodyDeadline:
    """How long a client may take to send a request body: `timeout_s` for the whole of it,
    plus one second per `min_bytes_per_s` bytes received. A client trickling a byte now and
    then (which an idle timeout never catches) cannot hold an upstream connection for ever,
    and an upload arriving at a usable speed is never cut off."""

    timeout_s: float
    min_bytes_per_s: int


class RequestBody:
    """The client's body, read only as the upstream takes it, cut off past `max_bytes` or
    past its deadline. `failure` says why it stopped early, whatever aiohttp wraps the
    exception in."""

    def __init__(self, receive: Receive, max_bytes: int, deadline: BodyDeadline) -> None:
        self._receive = receive
        self._max_bytes = max_bytes
        self._deadline = deadline
        self.failure: Exception | None = None
        self.complete = False

    async def chunks(self) -> AsyncIterator[bytes]:
        seen = 0
        deadline = asyncio.get_running_loop().time() + self._deadline.timeout_s
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    message = await self._receive()
            except TimeoutError:
                self.failure = ClientTooSlow()
                raise self.failure from None
            if message["type"] == "http.disconnect":
                self.failure = ClientGone()
                raise self.failure
            chunk: bytes = message.get("body", b"")
            seen += len(chunk)
            deadline += len(chunk) / self._deadline.min_bytes_per_s
            if seen > self._max_bytes:
                self.failure = BodyTooLarge()
                raise self.failure
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                self.complete = True
                return


def public_location(location: bytes, pool: UpstreamPool) -> bytes:
    """A Location at the upstream's own origin (`http://127.0.0.1:8002/projects`), as the
    public path (`/api/core/projects`): no answer may name an upstream's address. Any other
    Location (another site, a relative one) is the upstream's to choose."""
    origin = pool.location_origin
    if location[: len(origin)].lower() != origin or location[len(origin) : len(origin) + 1] not in (
        b"",
        b"/",
        b"?",
        b"#",
    ):
        return location
    rest = location[len(origin) :]
    base = pool.base_path.encode()
    if base and rest.startswith(base):
        rest = rest[len(base) :]
    if not rest.startswith(b"/"):
        rest = b"/" + rest
    return pool.prefix + rest


def relayed_headers(
    raw: Iterable[tuple[bytes, bytes]], extra: Sequence[tuple[bytes, bytes]]
) -> Headers:
    pairs = [(name.lower(), value) for name, value in raw]
    named_by_connection = {
        token.strip().lower()
        for name, value in pairs
        if name == b"connection"
        for token in value.split(b",")
    }
    headers = [
        (name, value)
        for name, value in pairs
        if name not in _NOT_RELAYED and name not in named_by_connection
    ]
    headers.extend(extra)
    return headers


class Forwarder:
    def __init__(self, metrics: GatewayMetrics, body_deadline: BodyDeadline) -> None:
        self.metrics = metrics
        self.body_deadline = body_deadline

    async def forward(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        pool: UpstreamPool,
        extra: Sequence[tuple[bytes, bytes]] = (),
    ) -> None:
        """Answers the request from `pool`'s upstream; `extra` headers go on its response."""
        upstream, breaker, state = pool.upstream, pool.breaker, scope["state"]
        state["upstream"] = upstream.name
        incoming = read_incoming(scope, pool)
        if (incoming.content_length or 0) > upstream.max_body_bytes:
            await _too_large(send, upstream)
            return
        if not breaker.allow_request():
            retry_after = str(breaker.retry_after_s())
            await send_json_error(
                send,
                503,
                GatewayErrorCode.UPSTREAM_CIRCUIT_OPEN,
                f"{upstream.name} is failing; requests are paused for {retry_after}s",
                [(b"retry-after", retry_after.encode())],
                upstream=upstream.name,
            )
            return
        body = (
            RequestBody(receive, upstream.max_body_bytes, self.body_deadline)
            if incoming.has_body
            else None
        )
        started = time.perf_counter()
        try:
            await _take_slot(pool)
        except UpstreamBusy:
            breaker.release_probe()  # our own pool is full: says nothing about the upstream
            await self._failure(send, state, upstream, UpstreamBusy())
            return
        try:
            try:
                response = await self._send_with_retries(scope, pool, incoming, body)
            except (aiohttp.ClientError, TimeoutError) as error:
                state["upstream_ms"] = _ms_since(started)
                if body is not None and body.failure is not None:
                    breaker.release_probe()
                    await self._client_failure(send, upstream, body.failure)
                    return
                breaker.record_failure()
                await self._failure(send, state, upstream, error)
                return
            state["upstream_ms"] = _ms_since(started)
            breaker.record_success()
            self.metrics.upstream_latency.labels(upstream.name).observe(
                time.perf_counter() - started
            )
            # Once the client's body is all read, its next message can only say it left.
            watch = receive if body is None or body.complete else None
            await self._relay(scope, send, pool, response, extra, watch)
        finally:
            pool.slots.release()

    async def _send_with_retries(
        self, scope: Scope, pool: UpstreamPool, incoming: IncomingRequest, body: RequestBody | None
    ) -> aiohttp.ClientResponse:
        assert pool.session is not None, "the app's lifespan opens every pool"
        upstream = pool.upstream
        url = upstream_url(scope, pool)
        attempt = 0
        while True:
            try:
                return await pool.session.request(
                    incoming.method,
                    url,
                    headers=[
                        (name.decode("latin-1"), value.decode("latin-1"))
                        for name, value in incoming.forwarded_headers
                    ],
                    data=body.chunks() if body is not None else None,
                    allow_redirects=False,
                )
            except _CONNECT_FAILURES:
                # Nothing reached the upstream, so an idempotent request is safe to try again.
                if incoming.method not in IDEMPOTENT_METHODS or attempt >= upstream.connect_retries:
                    raise
                delay = min(upstream.retry_backoff_cap_s, upstream.retry_backoff_s * 2**attempt)
                attempt += 1
                self.metrics.retries.labels(upstream.name).inc()
                await asyncio.sleep(delay)

    async def _relay(
        self,
        scope: Scope,
        send: Send,
        pool: UpstreamPool,
        response: aiohttp.ClientResponse,
        extra: Sequence[tuple[bytes, bytes]],
        watch: Receive | None,
    ) -> None:
        """Relays the upstream's response; its connection goes back to the pool only when
        the body was read to the end, and is closed however else the relay ends (so a client
        leaving an endless event stream also ends it upstream, when `watch` can tell)."""
        finished = False
        try:
            headers = relayed_headers(response.raw_headers, extra)
            if response.status in _MAY_NAME_A_LOCATION:
                headers = [
                    (name, public_location(value, pool) if name == b"location" else value)
                    for name, value in headers
                ]
            start = {"type": "http.response.start", "status": response.status, "headers": headers}
            # Raw bytes pass through undecoded, so Content-Length and Content-Encoding stay true.
            length = response.content_length
            if length is not None and length <= SMALL_BODY_BYTES:
                # One message: cheaper, and the compressor can judge the body by its size.
                try:
                    body = await response.read()
                except (aiohttp.ClientError, TimeoutError) as error:
                    # Nothing sent yet: the client can still get a clean error status.
                    pool.breaker.record_failure()
                    await self._failure(send, scope["state"], pool.upstream, error)
                    return
                await send(start)
                await send({"type": "http.response.body", "body": body, "more_body": False})
            else:
                await send(start)
                stream = _stream_body(send, response)
                if watch is None:
                    await stream
                elif await _client_left_during(stream, watch):
                    return
            finished = True
        except (aiohttp.ClientError, TimeoutError) as error:
            # Too late for an error status: breaking the connection tells the client the body
            # is incomplete (a clean end would pass a truncated body off as whole).
            name = pool.upstream.name
            self.metrics.upstream_errors.labels(name, "broken_stream").inc()
            scope["state"]["upstream_error"] = "broken_stream"
            log.warning("upstream broke off mid-response", upstream=name, error=repr(error))
            raise
        finally:
            if finished:
                response.release()
            else:
                response.close()

    async def _failure(self, send: Send, state: dict, upstream: Upstream, error: Exception) -> None:
        kind, status, code, reason = _classify(upstream, error)
        self.metrics.upstream_errors.labels(upstream.name, kind).inc()
        state["upstream_error"] = kind
        log.warning("upstream request failed", upstream=upstream.name, error=repr(error))
        await send_json_error(send, status, code, reason, upstream=upstream.name)

    async def _client_failure(self, send: Send, upstream: Upstream, failure: Exception) -> None:
        if isinstance(failure, BodyTooLarge):
            await _too_large(send, upstream)
        elif isinstance(failure, ClientTooSlow):
            # The rest of the body may still be on its way: the connection cannot be reused.
            await send_json_error(
                send,
                408,
                GatewayErrorCode.REQUEST_TIMEOUT,
                "The request body did not arrive in time",
                [CONNECTION_CLOSE],
            )
        else:
            await send_json_error(
                send, 400, GatewayErrorCode.CLIENT_DISCONNECTED, "The client went away mid-request"
            )


async def _stream_body(send: Send, response: aiohttp.ClientResponse) -> None:
    async for chunk in response.content.iter_any():
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _client_left_during(relay: Coroutine[Any, Any, None], receive: Receive) -> bool:
    """Runs `relay` until it ends (False) or the client disconnects first (True)."""

    async def until_disconnected() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    relaying = asyncio.ensure_future(relay)
    watching = asyncio.ensure_future(until_disconnected())
    try:
        await asyncio.wait({relaying, watching}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watching.cancel()
        if not relaying.done():
            relaying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await relaying
    if relaying.cancelled():
        return True
    relaying.result()  # the relay's own failure, if any
    return False


async def _take_slot(pool: UpstreamPool) -> None:
    """One of the upstream's `max_connections` slots, waiting at most `pool_timeout_s`."""
    if not pool.slots.locked():
        await pool.slots.acquire()
        return
    try:
        await asyncio.wait_for(pool.slots.acquire(), pool.upstream.pool_timeout_s)
    except TimeoutError as error:
        raise UpstreamBusy from error


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _classify(upstream: Upstream, error: Exception) -> tuple[str, int, GatewayErrorCode, str]:
    name = upstream.name
    if isinstance(error, UpstreamBusy):
        return (
            "busy",
            503,
            GatewayErrorCode.UPSTREAM_BUSY,
            f"{name} has too many requests in flight",
        )
    if isinstance(error, (aiohttp.ServerTimeoutError, TimeoutError)):
        return "timeout", 504, GatewayErrorCode.UPSTREAM_TIMEOUT, f"{name} did not answer in time"
    if isinstance(error, aiohttp.ClientConnectorError):
        return "unreachable", 502, GatewayErrorCode.UPSTREAM_UNREACHABLE, f"{name} is unreachable"
    return (
        "bad_response",
        502,
        GatewayErrorCode.UPSTREAM_BAD_RESPONSE,
        f"{name} gave no valid HTTP answer",
    )


async def _too_large(send: Send, upstream: Upstream) -> None:
    # The rest of the body may still be on its way: reading it all to reuse the connection
    # would take whatever size the client declared or keeps sending.
    await send_json_error(
        send,
        413,
        GatewayErrorCode.BODY_TOO_LARGE,
        f"Request bodies to {upstream.name} are limited to {upstream.max_body_bytes} bytes",
        [CONNECTION_CLOSE],
        upstream=upstream.name,
    )
