"""Errors leave a service as JSON with a code; never as a stack trace or an echo of the input.

Every error answer of every service and of the gateway is one `ErrorBody`: `code` for programs
(each service's codes are an enum), `message` for people, `request_id` to quote, and `detail`.
Until 1.0, `detail` also carries the body of before (`{"code", "reason"}` or fastapi-users'
`"CODE"`), so clients that read `detail` keep working for one release (CHANGELOG.md)."""

import re
from collections.abc import Iterable, Mapping
from enum import Enum, StrEnum
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from fastapi.utils import is_body_allowed_for_status_code
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

log = structlog.get_logger("errors")

REQUEST_INVALID = "REQUEST_INVALID"
INTERNAL_ERROR = "INTERNAL_ERROR"
EXAMPLE_REQUEST_ID = "4f1c9e2a7b3d4e5f"


class ErrorBody(BaseModel):
    """The body of every 4xx and 5xx answer."""

    code: str = Field(description="Stable code to branch on", examples=["TASK_NOT_FOUND"])
    message: str = Field(description="What went wrong, for people (wording may change)")
    detail: Any = Field(
        None,
        description="More about the error: the refused fields of a 422 (type, loc, msg). "
        "Until 1.0 it also repeats the former body's `detail` ({code, reason} or the code).",
    )
    request_id: str | None = Field(
        None, description="The request's X-Request-ID: quote it when reporting a problem"
    )


class ApiError(HTTPException):
    """The one exception every route raises for an error answer: a status, a code of the
    service's enum and a message. `extra` adds fields clients may read (e.g. `current_version`)."""

    def __init__(
        self,
        status_code: int,
        code: StrEnum | str,
        message: str,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        detail = {
            "code": code.value if isinstance(code, Enum) else code,
            "reason": message,
            **extra,
        }
        super().__init__(status_code, detail=detail, headers=dict(headers) if headers else None)


def error_body(
    code: str, message: str, request_id: str | None = None, detail: Any = None
) -> dict[str, Any]:
    """The wire form of an error; `detail` defaults to the pre-1.0 `{"code", "reason"}`."""
    if detail is None:
        detail = {"code": code, "reason": message}
    return {"code": code, "message": message, "detail": detail, "request_id": request_id}


def error_response_spec(status: int, codes: Iterable[StrEnum | str]) -> dict[str, Any]:
    """The OpenAPI response object of an error answer: ErrorBody, and the codes it may carry
    (in the description, in `x-error-codes` and as one example each)."""
    names = [str(code) for code in codes]
    listed = ", ".join(f"`{name}`" for name in names)
    examples = {
        name: {"value": error_body(name, _humanized(name), EXAMPLE_REQUEST_ID)} for name in names
    }
    return {
        "description": f"{HTTPStatus(status).phrase}: {listed}"
        if names
        else HTTPStatus(status).phrase,
        "x-error-codes": names,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/ErrorBody"},
                "examples": examples,
            }
        },
    }


# The error codes a route can answer, by status.
ErrorSets = Mapping[int, Iterable[StrEnum | str]]


def error_responses(
    *errors: ErrorSets,
) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=` for the errors it can answer, sets merged per status: e.g.
    `error_responses(CONDITIONAL, {404: [ErrorCode.TASK_NOT_FOUND]})`."""
    merged: dict[int, list[str]] = {}
    for each in errors:
        for status, codes in each.items():
            listed = merged.setdefault(status, [])
            listed.extend(str(code) for code in codes if str(code) not in listed)
    return {
        status: {"model": ErrorBody, **error_response_spec(status, codes)}
        for status, codes in sorted(merged.items())
    }


def _humanized(code: str) -> str:
    return code.replace("_", " ").capitalize()


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


def code_and_message(detail: Any) -> tuple[str, str]:
    if isinstance(detail, Mapping) and "code" in detail:
        code = detail["code"]
        code = str(code.value if isinstance(code, Enum) else code)  # fastapi-users' (str, Enum)
        return code, str(detail.get("reason") or _humanized(code))
    if isinstance(detail, str) and re.fullmatch(r"[A-Z][A-Z0-9_]*", detail):
        return detail, _humanized(detail)  # fastapi-users' codes
    return "ERROR", str(detail)


def _request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def _allowed_methods(request: Request) -> str:
    """The methods of the resource the path names: those of every route with the template of
    the first route whose path matches (the one the router tried). Starlette's 405 names only
    that first route's methods, though a resource is often served by several routes (GET and
    POST on a collection; GET, PATCH and DELETE on an item); and `/users/me` is its own
    resource, not the `/users/{id}` that would also match it."""
    matching = [
        (route.path, route.methods)
        for route in iter_route_contexts(request.app.router.routes)
        if route.methods and route.matches(request.scope)[0] is not Match.NONE
    ]
    template = matching[0][0] if matching else None
    methods = {method for path, each in matching if path == template for method in each or ()}
    return ", ".join(sorted(methods))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        error = _coded_framework_error(error)
        headers = getattr(error, "headers", None)
        if error.status_code == 405:
            headers = {**(headers or {}), "Allow": _allowed_methods(request)}
        # 204 and 304 carry no body; 405 keeps its Allow header.
        if not is_body_allowed_for_status_code(error.status_code):
            return Response(status_code=error.status_code, headers=headers)
        code, message = code_and_message(error.detail)
        body = error_body(code, message, _request_id(request), jsonable_encoder(error.detail))
        return JSONResponse(body, status_code=error.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        # FastAPI's own handler echoes every refused value back as "input": that repeats
        # passwords and tokens into the answer, and turns a value JSON cannot carry (1e999
        # is parsed as infinity) into a 500. The type, location and message say enough.
        problems = [{k: v for k, v in item.items() if k != "input"} for item in error.errors()]
        message = "The request does not match the operation: see detail"
        body = error_body(
            REQUEST_INVALID, message, _request_id(request), jsonable_encoder(problems)
        )
        return JSONResponse(body, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error", path=request.url.path)
        body = error_body(INTERNAL_ERROR, "Unexpected error; see server logs", _request_id(request))
        return JSONResponse(body, status_code=500)
