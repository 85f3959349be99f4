"""The gateway under a real uvicorn in front of real upstream servers: streaming both ways,
server-sent events, upstreams that break off, hang, babble or are not there at all."""

import asyncio
import itertools
import socket
import socketserver
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from conftest import free_port
from gateway.app import create_app
from gateway.server import GatewayProtocol
from gateway.settings import GatewaySettings, Upstream
from gateway.tests.conftest import serve_in_thread

MiB = 1024 * 1024
TRANSFER_BYTES = 100 * MiB
WAIT_S = 10.0
STALL_S = 0.5


class QuickHeadDeadline(GatewayProtocol):
    head_timeout_s = STALL_S


class Coordination:
    """Events the upstream and the test client wait on, across their threads."""

    def __init__(self) -> None:
        self.upstream_got_first_chunk = threading.Event()
        self.client_got_first_chunk = threading.Event()
        self.event_acks = [threading.Event() for _ in range(3)]
        self.endless_stream_ended = threading.Event()
        self.hits: list[str] = []


def upstream_app(coordination: Coordination) -> Starlette:
    async def upload(request: Request) -> JSONResponse:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received >= MiB:
                coordination.upstream_got_first_chunk.set()
        return JSONResponse({"received": received})

    async def download(request: Request) -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            yield b"x" * MiB
            # The rest only once the client has the first MiB: a buffering proxy never would.
            if not await asyncio.to_thread(coordination.client_got_first_chunk.wait, WAIT_S):
                return
            for _ in range(TRANSFER_BYTES // MiB - 1):
                yield b"x" * MiB

        return StreamingResponse(body(), media_type="application/octet-stream")

    async def events(request: Request) -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            for number, ack in enumerate(coordination.event_acks):
                yield f"id: {number}\ndata: event {number}\n\n".encode()
                if not await asyncio.to_thread(ack.wait, WAIT_S):
                    yield b"data: never acknowledged\n\n"
                    return

        return StreamingResponse(body(), media_type="text/event-stream")

    async def endless(request: Request) -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            try:
                for number in itertools.count():
                    yield f"data: tick {number}\n\n".encode()
                    await asyncio.sleep(0.05)
            finally:
                coordination.endless_stream_ended.set()

        return StreamingResponse(body(), media_type="text/event-stream")

    async def broken(request: Request) -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            yield b"y" * 65536
            raise RuntimeError("the upstream dies mid-response")

        return StreamingResponse(body(), media_type="text/plain")

    async def slow(request: Request) -> JSONResponse:
        await asyncio.sleep(5)
        return JSONResponse({"late": True})

    async def anything(request: Request) -> JSONResponse:
        coordination.hits.append(request.url.path)
        return JSONResponse({"path": request.url.path})

    return Starlette(
        routes=[
            Route("/upload", upload, methods=["POST"]),
            Route("/download", download),
            Route("/events", events),
            Route("/endless", endless),
            Route("/broken", broken),
            Route("/slow", slow),
            Route("/{path:path}", anything, methods=["GET", "POST"]),
        ]
    )


class _Babbler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.recv(65536)
        self.request.sendall(b"THIS IS NOT HTTP\r\n\r\n")


@pytest.fixture(scope="module")
def babbler() -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Babbler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def coordination() -> Coordination:
    return Coordination()


@pytest.fixture(scope="module")
def gateway_url(coordination, babbler, token_issuer) -> Iterator[str]:
    with serve_in_thread(upstream_app(coordination)) as upstream_url:
        settings = GatewaySettings(
            routes=[
                Upstream(
                    name="core",
                    url=upstream_url,
                    prefix="/api/core",
                    read_timeout_s=1.0,
                    max_body_bytes=2 * TRANSFER_BYTES,
                    breaker_failure_threshold=1000,
                ),
                Upstream(name="auth", url=upstream_url, prefix="/api/auth"),
                Upstream(name="babbler", url=babbler, prefix="/api/babbler", openapi=False),
                Upstream(
                    name="nowhere",
                    url=f"http://127.0.0.1:{free_port()}",
                    prefix="/api/nowhere",
                    retry_backoff_s=0.01,
                    openapi=False,
                ),
            ],
            public_paths=["/api/*"],
            rate_limits_enabled=False,
            client_body_timeout_s=STALL_S,
            jwks_url=token_issuer.jwks_url,
            log_level="WARNING",
        )
        with serve_in_thread(create_app(settings), http=QuickHeadDeadline) as url:
            yield url


def rss_bytes() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096


async def test_a_100_mib_upload_streams_through(gateway_url, coordination):
    before = rss_bytes()
    peak = before

    async def body() -> AsyncIterator[bytes]:
        nonlocal peak
        yield b"u" * MiB
        # Sending more only once the upstream has the first MiB proves nothing is held back.
        assert await asyncio.to_thread(coordination.upstream_got_first_chunk.wait, WAIT_S)
        for _ in range(TRANSFER_BYTES // MiB - 1):
            peak = max(peak, rss_bytes())
            yield b"u" * MiB

    async with httpx.AsyncClient(base_url=gateway_url, timeout=60) as client:
        response = await client.post("/api/core/upload", content=body())
    assert response.status_code == 200
    assert response.json() == {"received": TRANSFER_BYTES}
    assert peak - before < 40 * MiB


async def test_a_100_mib_download_streams_through(gateway_url, coordination):
    before = rss_bytes()
    peak, received = before, 0
    async with (
        httpx.AsyncClient(base_url=gateway_url, timeout=60) as client,
        client.stream("GET", "/api/core/download") as response,
    ):
        async for chunk in response.aiter_raw():
            received += len(chunk)
            if received >= MiB:
                coordination.client_got_first_chunk.set()
            peak = max(peak, rss_bytes())
    assert received == TRANSFER_BYTES
    assert peak - before < 40 * MiB


async def test_server_sent_events_pass_one_by_one_uncompressed(gateway_url, coordination):
    seen: list[str] = []
    async with (
        httpx.AsyncClient(base_url=gateway_url, timeout=WAIT_S * 2) as client,
        client.stream("GET", "/api/core/events", headers={"accept-encoding": "gzip"}) as response,
    ):
        assert response.headers["content-type"].startswith("text/event-stream")
        assert "content-encoding" not in response.headers
        async for line in response.aiter_lines():
            if line.startswith("data: "):
                seen.append(line.removeprefix("data: "))
                coordination.event_acks[len(seen) - 1].set()
    assert seen == ["event 0", "event 1", "event 2"]


async def test_a_client_leaving_an_endless_event_stream_ends_it_upstream(gateway_url, coordination):
    async with (
        httpx.AsyncClient(base_url=gateway_url, timeout=WAIT_S) as client,
        client.stream("GET", "/api/core/endless") as response,
    ):
        async for line in response.aiter_lines():
            if line.startswith("data: tick 2"):
                break
    assert await asyncio.to_thread(coordination.endless_stream_ended.wait, WAIT_S)


async def test_an_upstream_breaking_off_mid_body_breaks_the_client_connection(gateway_url):
    async with httpx.AsyncClient(base_url=gateway_url, timeout=10) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get("/api/core/broken")
        # The gateway goes on serving.
        assert (await client.get("/healthz")).status_code == 200


async def test_a_slow_upstream_is_a_504_after_its_read_timeout(gateway_url):
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=gateway_url, timeout=10) as client:
        response = await client.get("/api/core/slow")
    assert response.status_code == 504
    assert response.json()["detail"]["upstream"] == "core"
    assert time.monotonic() - started < 3


async def test_an_upstream_that_is_not_there_is_a_fast_502(gateway_url):
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=gateway_url, timeout=10) as client:
        response = await client.get("/api/nowhere/anything")
    assert response.status_code == 502
    assert response.json()["detail"] == {
        "code": "UPSTREAM_UNREACHABLE",
        "reason": "nowhere is unreachable",
        "upstream": "nowhere",
    }
    assert time.monotonic() - started < 1


async def test_an_upstream_answering_garbage_is_a_502(gateway_url):
    async with httpx.AsyncClient(base_url=gateway_url, timeout=10) as client:
        response = await client.get("/api/babbler/x")
    assert response.status_code == 502
    assert response.json()["detail"]["code"] == "UPSTREAM_BAD_RESPONSE"


def exchange(url: str, raw: bytes, timeout_s: float = 5.0) -> bytes:
    """Sends raw bytes to the server and returns all it answers until it closes or idles."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout_s) as connection:
        connection.sendall(raw)
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except TimeoutError:
            pass
    return answer


def status_of(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer[9:12])


def test_content_length_with_transfer_encoding_is_refused_and_nothing_smuggled(
    gateway_url, coordination
):
    smuggled = (
        b"POST /api/core/echo HTTP/1.1\r\nHost: gateway\r\nContent-Length: 44\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        b"GET /api/core/smuggled HTTP/1.1\r\nHost: gateway\r\n\r\n"
    )
    answer = exchange(gateway_url, smuggled)
    assert status_of(answer) == 400
    assert answer.count(b"HTTP/1.1 ") == 1
    assert "/smuggled" not in coordination.hits
    assert "/echo" not in coordination.hits


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /api/core/x HTTP/1.1\r\nHost: evil host/..\r\n\r\n", 400),
        (b"GET /api/core/x HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n", 400),
        (b"GET /api/core/x HTTP/1.1\r\nHost: a.test:99999\r\n\r\n", 400),
        (b"GET /api/core/a%00b HTTP/1.1\r\nHost: gateway\r\n\r\n", 400),
        (b"GET /x%0d%0aSet-Cookie:a=1 HTTP/1.1\r\nHost: gateway\r\n\r\n", 400),
        (b"GET /api/core/../auth/users/me HTTP/1.1\r\nHost: gateway\r\n\r\n", 400),
        (b"GET /api/core/%2e%2e/auth/users/me HTTP/1.1\r\nHost: gateway\r\n\r\n", 400),
        (b"GET /api/core/" + b"a" * 20000 + b" HTTP/1.1\r\nHost: gateway\r\n\r\n", 414),
        (b"GET /api/core/x HTTP/1.1\r\nHost: gateway\r\nX-Big: " + b"b" * 40000 + b"\r\n\r\n", 431),
        (b"HELLO THERE\r\n\r\n", 400),
    ],
    ids=[
        "bad-host",
        "two-hosts",
        "host-port-out-of-range",
        "encoded-nul",
        "encoded-crlf",
        "dot-dot",
        "encoded-dot-dot",
        "long-url",
        "big-header",
        "not-http",
    ],
)
def test_malformed_requests_get_a_clean_4xx(gateway_url, coordination, request_bytes, status):
    answer = exchange(gateway_url, request_bytes)
    assert status_of(answer) == status
    assert "/auth/users/me" not in coordination.hits
    assert "/users/me" not in coordination.hits


def test_a_client_stalling_mid_body_gets_408_and_others_are_served(gateway_url):
    host, port = gateway_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as stalled:
        stalled.sendall(
            b"POST /api/core/upload HTTP/1.1\r\nHost: g\r\nContent-Length: 1000\r\n\r\nabc"
        )
        answer = exchange(
            gateway_url, b"GET /healthz HTTP/1.1\r\nHost: g\r\nConnection: close\r\n\r\n"
        )
        assert status_of(answer) == 200
        started = time.monotonic()
        late = stalled.recv(65536)
    assert status_of(late) == 408
    assert b'"REQUEST_TIMEOUT"' in late
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    "partial",
    [b"", b"GET /healthz HTTP/1.1\r\nHost: g\r\n", b"GET /heal"],
    ids=["nothing", "headers-unfinished", "request-line-unfinished"],
)
def test_a_connection_whose_request_head_never_completes_is_closed(gateway_url, partial):
    host, port = gateway_url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=5) as slow:
        slow.sendall(partial)
        assert slow.recv(65536) == b""  # closed by the gateway, not by our 5 s timeout
    assert time.monotonic() - started < 3


def test_each_request_on_a_kept_alive_connection_has_its_own_head_deadline(gateway_url):
    host, port = gateway_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        for _ in range(3):  # together longer than one deadline: each request gets its own
            time.sleep(STALL_S / 2)
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: g\r\n\r\n")
            assert status_of(connection.recv(65536)) == 200
        connection.sendall(b"GET /healthz HTTP/1.1\r\n")
        started = time.monotonic()
        assert connection.recv(65536) == b""
    assert time.monotonic() - started < 3
