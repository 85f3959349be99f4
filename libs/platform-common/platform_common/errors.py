"""Errors leave a service as JSON with a code; never as a stack trace or an echo of the input."""

import structlog
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

log = structlog.get_logger("errors")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        # FastAPI's own handler echoes every refused value back as "input": that repeats
        # passwords and tokens into the answer, and turns a value JSON cannot carry (1e999
        # is parsed as infinity) into a 500. The type, location and message say enough.
        problems = [{k: v for k, v in item.items() if k != "input"} for item in error.errors()]
        return JSONResponse({"detail": jsonable_encoder(problems)}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error", path=request.url.path)
        return JSONResponse(
            {"detail": {"code": "INTERNAL_ERROR", "reason": "Unexpected error; see server logs"}},
            status_code=500,
        )
