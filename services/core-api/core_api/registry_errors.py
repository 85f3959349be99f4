"""The registry's refusals: each a 4xx with a stable code clients branch on."""

from enum import StrEnum

from fastapi import HTTPException, status


class RegistryCode(StrEnum):
    FRAGMENT_NOT_FOUND = "FRAGMENT_NOT_FOUND"
    FRAGMENT_EXISTS = "FRAGMENT_EXISTS"
    FRAGMENT_NAME_INVALID = "FRAGMENT_NAME_INVALID"
    FRAGMENT_CHANGED_CONCURRENTLY = "FRAGMENT_CHANGED_CONCURRENTLY"
    PUBLISHER_ROLE_REQUIRED = "PUBLISHER_ROLE_REQUIRED"
    VERSION_NOT_SEMVER = "VERSION_NOT_SEMVER"
    VERSION_EXISTS = "VERSION_EXISTS"
    VERSION_NOT_FOUND = "VERSION_NOT_FOUND"
    ENTRY_ORIGIN_NOT_ALLOWED = "ENTRY_ORIGIN_NOT_ALLOWED"
    ASSET_ORIGIN_NOT_ALLOWED = "ASSET_ORIGIN_NOT_ALLOWED"
    ENTRY_UNREACHABLE = "ENTRY_UNREACHABLE"
    ENTRY_TOO_LARGE = "ENTRY_TOO_LARGE"
    INTEGRITY_MALFORMED = "INTEGRITY_MALFORMED"
    INTEGRITY_MISMATCH = "INTEGRITY_MISMATCH"
    CONTRACT_UNSUPPORTED = "CONTRACT_UNSUPPORTED"
    ROUTE_INVALID = "ROUTE_INVALID"
    ROUTE_COLLISION = "ROUTE_COLLISION"
    NO_ACTIVE_VERSION = "NO_ACTIVE_VERSION"
    NO_PREVIOUS_VERSION = "NO_PREVIOUS_VERSION"
    NO_CANARY = "NO_CANARY"
    CANARY_IN_PROGRESS = "CANARY_IN_PROGRESS"
    CANARY_IS_ACTIVE_VERSION = "CANARY_IS_ACTIVE_VERSION"
    VERSION_NOT_SERVED = "VERSION_NOT_SERVED"
    REPORTS_RATE_LIMITED = "REPORTS_RATE_LIMITED"
    OVERRIDE_ORIGIN_INVALID = "OVERRIDE_ORIGIN_INVALID"
    OVERRIDE_INVALID = "OVERRIDE_INVALID"
    OVERRIDE_EXPIRED = "OVERRIDE_EXPIRED"
    OVERRIDE_REVOKED = "OVERRIDE_REVOKED"
    OVERRIDE_NOT_YOURS = "OVERRIDE_NOT_YOURS"
    OVERRIDE_NOT_FOUND = "OVERRIDE_NOT_FOUND"
    OVERRIDE_BUSY = "OVERRIDE_BUSY"
    OVERRIDE_CHANGED_CONCURRENTLY = "OVERRIDE_CHANGED_CONCURRENTLY"


def registry_error(status_code: int, code: RegistryCode | str, reason: str) -> HTTPException:
    return HTTPException(status_code, {"code": str(code), "reason": reason})


def unprocessable(code: RegistryCode | str, reason: str) -> HTTPException:
    return registry_error(status.HTTP_422_UNPROCESSABLE_CONTENT, code, reason)


def conflict(code: RegistryCode, reason: str) -> HTTPException:
    return registry_error(status.HTTP_409_CONFLICT, code, reason)


def not_found(code: RegistryCode, reason: str) -> HTTPException:
    return registry_error(status.HTTP_404_NOT_FOUND, code, reason)


def forbidden(code: RegistryCode, reason: str) -> HTTPException:
    return registry_error(status.HTTP_403_FORBIDDEN, code, reason)
