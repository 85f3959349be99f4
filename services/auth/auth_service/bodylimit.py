"""The request body limit (64 KiB by default): a too-large announced Content-Length is
answered at once; a body streamed without one is counted as it arrives, and the read that
crosses the limit raises a 413 HTTPException, which FastAPI passes on to its handler."""

from fastapi import HTTPException
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from auth_service.errors import AuthErrorCode
from platform_common.errors import error_body


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.detail = {
            "code": AuthErrorCode.REQUEST_TOO_LARGE,
            "reason": f"Request bodies are limited to {max_bytes} bytes",
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._announced(scope) > self.max_bytes:
            request_id = scope.get("state", {}).get("request_id")
            body = error_body(self.detail["code"], self.detail["reason"], request_id)
            await JSONResponse(body, status_code=413)(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise HTTPException(413, detail=self.detail)
            return message

        await self.app(scope, counting_receive, send)

    @staticmethod
    def _announced(scope: Scope) -> int:
        value = Headers(scope=scope).get("content-length", "")
        return int(value) if value.isdigit() else 0
