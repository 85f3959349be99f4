"""Errors leave a service as JSON with a code; never as a stack trace or an echo of the input."""

import re
from http import HTTPStatus

import structlog
from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

log = structlog.get_logger("errors")


def _coded_framework_error(error: StarletteHTTPException) -> StarletteHTTPException:
    """Routing errors (405, 404 for an unknown path, any HTTPException raised without a detail)
    carry only their status's reason phrase; give them a code derived from that phrase. Details
    our code chose (a dict, fastapi-users' string codes) are returned as they are."""
    try:
        status = HTTPStatus(error.status_code)
    except ValueError:
        return error
    if error.detail != status.phrase:
        return error
    code = re.sub(r"[^A-Z0-9]+", "_", status.phrase.upper())
    detail = {"code": code, "reason": status.description or status.phrase}
    return HTTPException(error.status_code, detail=detail, headers=error.headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        # FastAPI's handler keeps the headers (405's Allow) and omits bodies 204/304 forbid.
        return await http_exception_handler(request, _coded_framework_error(error))

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
