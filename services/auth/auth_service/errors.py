"""This service's own error codes (fastapi-users' ErrorCode covers the rest), each raised
as `{"detail": {"code": ..., "reason": ...}}`."""

from enum import StrEnum, auto

from fastapi import HTTPException


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
    SESSION_NOT_FOUND = auto()
    CURRENT_PASSWORD_REQUIRED = auto()
    CURRENT_PASSWORD_INVALID = auto()
    CLIENT_ALREADY_EXISTS = auto()
    CLIENT_NOT_FOUND = auto()
    CLIENT_TOO_MANY_ATTEMPTS = auto()
    INVALID_CLIENT = auto()
    UNSUPPORTED_GRANT_TYPE = auto()
    REQUEST_TOO_LARGE = auto()
    BODY_NOT_UNICODE = auto()
    DIRECTORY_INVALID_ID = auto()
    DIRECTORY_TOO_MANY_IDS = auto()
    DIRECTORY_TOO_MANY_LOOKUPS = auto()
    EMAIL_LOOKUP_NOT_FOUND = auto()
    EMAIL_LOOKUP_TOO_MANY = auto()
    USERS_INVALID_ID = auto()
    USERS_TOO_MANY_IDS = auto()


def auth_error(
    status: int, code: str, reason: str, headers: dict[str, str] | None = None
) -> HTTPException:
    return HTTPException(status, detail={"code": code, "reason": reason}, headers=headers)
