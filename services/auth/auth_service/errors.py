"""This service's own error codes (fastapi-users' ErrorCode covers the rest), each raised
as `{"detail": {"code": ..., "reason": ...}}`, and how request validation errors are told."""

from enum import StrEnum, auto

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


class AuthErrorCode(StrEnum):
    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[str]) -> str:
        return name  # the code is the member's name

    LOGIN_TOO_MANY_ATTEMPTS = auto()
    REFRESH_TOKEN_MISSING = auto()
    REFRESH_TOKEN_INVALID = auto()
    REFRESH_TOKEN_EXPIRED = auto()
    REFRESH_TOKEN_REVOKED = auto()
    REFRESH_TOKEN_REUSED = auto()
    USER_INACTIVE = auto()
    CLIENT_ALREADY_EXISTS = auto()
    CLIENT_NOT_FOUND = auto()
    CLIENT_TOO_MANY_ATTEMPTS = auto()
    INVALID_CLIENT = auto()
    UNSUPPORTED_GRANT_TYPE = auto()
    REQUEST_TOO_LARGE = auto()
    BODY_NOT_UNICODE = auto()


def auth_error(
    status: int, code: str, reason: str, headers: dict[str, str] | None = None
) -> HTTPException:
    return HTTPException(status, detail={"code": code, "reason": reason}, headers=headers)


def install_validation_handler(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        # FastAPI's own handler echoes every refused value back as "input": that repeats
        # passwords and tokens into the answer, and turns a value JSON cannot carry (1e999
        # is parsed as infinity) into a 500. The type, location and message say enough.
        problems = [{k: v for k, v in item.items() if k != "input"} for item in error.errors()]
        return JSONResponse({"detail": jsonable_encoder(problems)}, status_code=422)
