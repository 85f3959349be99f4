"""ASGI middleware: request ids and one access-log line per request."""

import re
import secrets
import time

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from platform_common.logging import access_logger

REQUEST_ID_HEADER = "x-request-id"
# A client-sent id is kept only if it is short and plain, so logs cannot be forged through it.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def incoming_request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            if _SAFE_REQUEST_ID.match(candidate):
                return candidate
    return secrets.token_hex(16)  # 32 hex digits, like a UUID's, in a quarter of uuid4's time


class RequestContextMiddleware:
    """Tags the request with an id (kept if the client sent a safe one), echoes it in the
    response, binds it to every log line, and logs method, path, status and duration."""

    def __init__(self, app: ASGIApp, *, service: str, log_level: str) -> None:
        self.app = app
        self.access_log = access_logger(service, log_level)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        # Reset by token: `bound_contextvars` would first read every context variable.
        bound = structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            # Services poll internal routes (auth's revocation feed) every second or so:
            # their successes would drown every other line.
            quiet = status < 400 and scope["path"].startswith("/internal/")
            (self.access_log.debug if quiet else self.access_log.info)(
                "request",
                request_id=request_id,
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            structlog.contextvars.reset_contextvars(**bound)
