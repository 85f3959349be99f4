"""This service's own error codes (fastapi-users' ErrorCode covers the rest), each raised
as platform_common's ApiError (an ErrorBody)."""

from enum import StrEnum, auto

from platform_common.errors import ApiError, ErrorSets


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
    USER_NOT_FOUND = auto()


# fastapi-users' answers without a code of their own (platform_common derives these).
UNAUTHORIZED = "UNAUTHORIZED"
FORBIDDEN = "FORBIDDEN"
# What an admin-only route answers anyone else.
ADMIN_ONLY: ErrorSets = {403: [FORBIDDEN]}


def auth_error(
    status: int, code: str, reason: str, headers: dict[str, str] | None = None
) -> ApiError:
    return ApiError(status, code, reason, headers=headers)
