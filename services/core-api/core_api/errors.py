"""The core API's 4xx answers: `{"detail": {"code": ..., "reason": ...}}` with stable codes."""

from enum import StrEnum

from fastapi import HTTPException, status


class ErrorCode(StrEnum):
    PROJECT_NOT_FOUND = "PROJECT_NOT_FOUND"
    TASK_NOT_FOUND = "TASK_NOT_FOUND"
    INVALID_OBJECT_ID = "INVALID_OBJECT_ID"
    INVALID_CURSOR = "INVALID_CURSOR"
    CURSOR_MISMATCH = "CURSOR_MISMATCH"
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


def api_error(status_code: int, code: ErrorCode, reason: str) -> HTTPException:
    return HTTPException(status_code, {"code": code.value, "reason": reason})


def bad_request(code: ErrorCode, reason: str) -> HTTPException:
    return api_error(status.HTTP_400_BAD_REQUEST, code, reason)


def not_found(code: ErrorCode, reason: str) -> HTTPException:
    return api_error(status.HTTP_404_NOT_FOUND, code, reason)
