"""The core API's error codes; every error is platform_common's ApiError (an ErrorBody)."""

from enum import StrEnum

from fastapi import status

from platform_common.errors import ApiError


class ErrorCode(StrEnum):
    PROJECT_NOT_FOUND = "PROJECT_NOT_FOUND"
    TASK_NOT_FOUND = "TASK_NOT_FOUND"
    INVALID_OBJECT_ID = "INVALID_OBJECT_ID"
    INVALID_LAST_EVENT_ID = "INVALID_LAST_EVENT_ID"
    INVALID_RANGE = "INVALID_RANGE"
    INVALID_IF_MATCH = "INVALID_IF_MATCH"
    VERSION_MISMATCH = "VERSION_MISMATCH"
    PROJECT_KEY_TAKEN = "PROJECT_KEY_TAKEN"
    PROJECT_ROLE_REQUIRED = "PROJECT_ROLE_REQUIRED"
    LAST_OWNER = "LAST_OWNER"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    BULK_DUPLICATE_IDS = "BULK_DUPLICATE_IDS"
    BULK_REJECTED = "BULK_REJECTED"
    BULK_CONFLICT = "BULK_CONFLICT"
    ASSIGNEE_NOT_MEMBER = "ASSIGNEE_NOT_MEMBER"
    MEMBER_NOT_FOUND = "MEMBER_NOT_FOUND"
    MEMBER_CHECK_UNAVAILABLE = "MEMBER_CHECK_UNAVAILABLE"
    ADMIN_REQUIRED = "ADMIN_REQUIRED"


# The errors routes share, for their OpenAPI `responses` (platform_common's error_responses);
# a paged list's cursor errors are platform_common.pagination.PAGED.
ADMIN_ONLY = {403: [ErrorCode.ADMIN_REQUIRED]}
PROJECT_READ = {404: [ErrorCode.PROJECT_NOT_FOUND], 422: [ErrorCode.INVALID_OBJECT_ID]}
PROJECT_WRITE = {
    **PROJECT_READ,
    400: [ErrorCode.INVALID_IF_MATCH],
    403: [ErrorCode.PROJECT_ROLE_REQUIRED],
    412: [ErrorCode.VERSION_MISMATCH],
}
TASK_READ = {404: [ErrorCode.TASK_NOT_FOUND], 422: [ErrorCode.INVALID_OBJECT_ID]}
TASK_WRITE = {
    **TASK_READ,
    400: [ErrorCode.INVALID_IF_MATCH],
    403: [ErrorCode.PROJECT_ROLE_REQUIRED],
    412: [ErrorCode.VERSION_MISMATCH],
}


def api_error(status_code: int, code: ErrorCode, reason: str) -> ApiError:
    return ApiError(status_code, code, reason)


def bad_request(code: ErrorCode, reason: str) -> ApiError:
    return api_error(status.HTTP_400_BAD_REQUEST, code, reason)


def not_found(code: ErrorCode, reason: str) -> ApiError:
    return api_error(status.HTTP_404_NOT_FOUND, code, reason)
