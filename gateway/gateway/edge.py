"""The outermost layer: request ids, malformed-request guards, security headers, metrics and
one access-log line per request (with the upstream's timing, which the proxy notes in the
request state)."""

import re
import time
from collections.abc import Callable, Iterable
from functools import lru_cache

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.errors import GatewayErrorCode
from gateway.metrics import GatewayMetrics
from gateway.proxy import json_body
from gateway.settings import GatewaySettings
from platform_common.logging import access_logger
from platform_common.middleware import REQUEST_ID_HEADER, incoming_request_id

log = structlog.get_logger("gateway.edge")
REQUEST_ID_HEADER_BYTES = REQUEST_ID_HEADER.encode()

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_VALID_HOST = re.compile(rf"^(?:{_LABEL}(?:\.{_LABEL})*\.?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{{1,5}})?$")

# Decoded from %00-%1F or %7F: no route has them, and upstreams and logs should not see them.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


class RequestRejected(Exception):
    def __init__(self, status: int, code: GatewayErrorCode, reason: str) -> None:
        super().__init__(reason)
        self.status, self.code, self.reason = status, code, reason


# Powerful features no page of the platform uses, fragments included.
PERMISSIONS_POLICY = (
    b"accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    b"microphone=(), payment=(), usb=()"
)

INTERNAL_ERROR = RequestRejected(
    500, GatewayErrorCode.INTERNAL_ERROR, "Unexpected error; see server logs"
)


class EdgeMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: GatewaySettings,
        metrics: GatewayMetrics,
        route_label: Callable[[str], str],
    ) -> None:
        self.app = app
        self.settings = settings
        self.metrics = metrics
        self.route_label = route_label
        self.access_log = access_logger("gateway", settings.log_level)
        self.allowed_hosts = {host.lower() for host in settings.allowed_hosts}
        # Clients send few distinct Host values: each is judged once.
        self._host_ok = lru_cache(maxsize=1024)(self._judge_host)
        self.security_headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"x-frame-options", b"DENY"),
            (b"permissions-policy", PERMISSIONS_POLICY),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
            # Pages set their own; anything else (JSON, errors) may load and frame nothing.
            (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
        ]
        self.hsts = f"max-age={settings.hsts_max_age_s}; includeSubDomains".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        over_tls = scope["scheme"] == "https" or self.settings.behind_tls

        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message["headers"] = self._response_headers(
                    message.get("headers", []), request_id, over_tls
                )
            await send(message)

        self.metrics.in_flight.inc()
        # Bound and reset by token: structlog's `bound_contextvars` first reads every context
        # variable of the task, which costs more than the rest of this layer.
        bound = structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            rejection = self._rejection(scope)
            if rejection is not None:
                await _reject(rejection, send_with_headers)
            else:
                await self.app(scope, receive, send_with_headers)
        except Exception:
            if response_started:
                raise  # mid-body: only breaking the connection can tell the client
            log.exception("unhandled error", path=scope["path"])
            await _reject(INTERNAL_ERROR, send_with_headers)
        finally:
            self.metrics.in_flight.dec()
            self._observe(scope, state, status, time.perf_counter() - started)
            structlog.contextvars.reset_contextvars(**bound)

    def _response_headers(
        self, headers: Iterable[tuple[bytes, bytes]], request_id: str, over_tls: bool
    ) -> list[tuple[bytes, bytes]]:
        result = [(name, value) for name, value in headers if name != REQUEST_ID_HEADER_BYTES]
        present = {name for name, _ in result}
        result.append((REQUEST_ID_HEADER_BYTES, request_id.encode("latin-1")))
        result.extend(header for header in self.security_headers if header[0] not in present)
        if over_tls:
            result.append((b"strict-transport-security", self.hsts))
        return result

    def _rejection(self, scope: Scope) -> RequestRejected | None:
        if len(scope["raw_path"]) + len(scope["query_string"]) > self.settings.max_url_bytes:
            return RequestRejected(
                414, GatewayErrorCode.URL_TOO_LONG, "The request URL is too long"
            )
        headers = scope["headers"]
        if sum(len(name) + len(value) + 4 for name, value in headers) > (
            self.settings.max_header_bytes
        ):
            return RequestRejected(
                431, GatewayErrorCode.HEADERS_TOO_LARGE, "The request headers are too large"
            )
        hosts = [value for name, value in headers if name == b"host"]
        if len(hosts) > 1 or (hosts and not self._host_ok(hosts[0])):
            return RequestRejected(
                400, GatewayErrorCode.HOST_INVALID, "The Host header is malformed or unknown"
            )
        if _has_dot_segment(scope["path"]):
            return RequestRejected(
                400, GatewayErrorCode.PATH_INVALID, "Paths may not contain . or .. segments"
            )
        if _CONTROL_CHARACTER.search(scope["path"]):
            return RequestRejected(
                400, GatewayErrorCode.PATH_INVALID, "Paths may not contain control characters"
            )
        return None

    def _judge_host(self, raw: bytes) -> bool:
        host = raw.decode("latin-1")
        if not _VALID_HOST.match(host):
            return False
        name, port = _split_port(host)
        if port is not None and not 0 < port <= 65535:
            return False
        return "*" in self.allowed_hosts or name.lower() in self.allowed_hosts

    def _observe(self, scope: Scope, state: dict, status: int, duration_s: float) -> None:
        route = self.route_label(scope["path"])
        upstream = state.get("upstream", "")
        self.metrics.observe_request(route, scope["method"], status, upstream, duration_s)
        client = scope.get("client")
        self.access_log.info(
            "request",
            request_id=state["request_id"],
            method=scope["method"],
            path=scope["path"],
            status=status,
            duration_ms=round(duration_s * 1000, 2),
            client=client[0] if client else None,
            upstream=upstream or None,
            upstream_ms=state.get("upstream_ms"),
            upstream_error=state.get("upstream_error"),
        )


def _split_port(host: str) -> tuple[str, int | None]:
    """`example.com:8000` -> ("example.com", 8000); `[::1]` has no port."""
    name, _, port = host.rpartition(":")
    return (name, int(port)) if name and port.isdigit() else (host, None)


def _has_dot_segment(path: str) -> bool:
    return "." in path and any(
        segment in (".", "..") for segment in path.replace("\\", "/").split("/")
    )


async def _reject(rejection: RequestRejected, send: Send) -> None:
    body = json_body(rejection.code, rejection.reason)
    await send(
        {
            "type": "http.response.start",
            "status": rejection.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
