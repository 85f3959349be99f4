"""Errors leave a service as JSON with a code; never as a stack trace."""

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

log = structlog.get_logger("errors")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error", path=request.url.path)
        return JSONResponse(
            {"detail": {"code": "INTERNAL_ERROR", "reason": "Unexpected error; see server logs"}},
            status_code=500,
        )
