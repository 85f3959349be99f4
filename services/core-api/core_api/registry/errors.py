"""The registry's refusals: each a 4xx with a stable code clients branch on."""

from enum import StrEnum

from fastapi import HTTPException, status

from platform_common.errors import ApiError


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
    ORIGIN_INVALID = "ORIGIN_INVALID"
    ENTRY_UNREACHABLE = "ENTRY_UNREACHABLE"
    ENTRY_TOO_LARGE = "ENTRY_TOO_LARGE"
    STYLESHEET_UNREACHABLE = "STYLESHEET_UNREACHABLE"
    STYLESHEET_TOO_LARGE = "STYLESHEET_TOO_LARGE"
    INTEGRITY_MALFORMED = "INTEGRITY_MALFORMED"
    INTEGRITY_MISMATCH = "INTEGRITY_MISMATCH"
    CONTRACT_UNSUPPORTED = "CONTRACT_UNSUPPORTED"
    SDK_INCOMPATIBLE = "SDK_INCOMPATIBLE"
    ROUTE_INVALID = "ROUTE_INVALID"
    ROUTE_RESERVED = "ROUTE_RESERVED"
    ROUTE_COLLISION = "ROUTE_COLLISION"
    ROUTES_BUSY = "ROUTES_BUSY"
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
    OVERRIDE_SUBJECT_FORBIDDEN = "OVERRIDE_SUBJECT_FORBIDDEN"
    OVERRIDE_SUBJECT_UNKNOWN = "OVERRIDE_SUBJECT_UNKNOWN"
    OVERRIDE_SUBJECT_CHECK_UNAVAILABLE = "OVERRIDE_SUBJECT_CHECK_UNAVAILABLE"
    OVERRIDE_NOT_FOUND = "OVERRIDE_NOT_FOUND"
    OVERRIDE_BUSY = "OVERRIDE_BUSY"
    OVERRIDE_CHANGED_CONCURRENTLY = "OVERRIDE_CHANGED_CONCURRENTLY"


# What the registry's routes may answer, for their OpenAPI `responses` (platform_common's
# error_responses merges the sets of one status).
READABLE = {404: [RegistryCode.FRAGMENT_NOT_FOUND]}
OPERABLE = {**READABLE, 403: [RegistryCode.PUBLISHER_ROLE_REQUIRED]}
VERSION_READ = {404: [RegistryCode.VERSION_NOT_FOUND]}
# A change of what a fragment serves: another change at the same moment, routes that would
# collide with another fragment's, a version whose contract the platform no longer supports.
CHANGE = {409: [RegistryCode.FRAGMENT_CHANGED_CONCURRENTLY]}
SERVING_CHANGE = {
    409: [
        RegistryCode.FRAGMENT_CHANGED_CONCURRENTLY,
        RegistryCode.ROUTE_COLLISION,
        RegistryCode.ROUTES_BUSY,
    ],
    422: [RegistryCode.CONTRACT_UNSUPPORTED],
}
PUBLISH = {
    409: [RegistryCode.VERSION_EXISTS, RegistryCode.ROUTE_COLLISION, RegistryCode.ROUTES_BUSY],
    422: [
        RegistryCode.VERSION_NOT_SEMVER,
        RegistryCode.CONTRACT_UNSUPPORTED,
        RegistryCode.SDK_INCOMPATIBLE,
        RegistryCode.ENTRY_ORIGIN_NOT_ALLOWED,
        RegistryCode.ASSET_ORIGIN_NOT_ALLOWED,
        RegistryCode.INTEGRITY_MALFORMED,
        RegistryCode.ROUTE_INVALID,
        RegistryCode.ROUTE_RESERVED,
        RegistryCode.ENTRY_UNREACHABLE,
        RegistryCode.ENTRY_TOO_LARGE,
        RegistryCode.STYLESHEET_UNREACHABLE,
        RegistryCode.STYLESHEET_TOO_LARGE,
        RegistryCode.INTEGRITY_MISMATCH,
    ],
}
# Redeeming local-override tokens (the manifest's `override`).
REDEEM = {
    403: [
        RegistryCode.OVERRIDE_INVALID,
        RegistryCode.OVERRIDE_EXPIRED,
        RegistryCode.OVERRIDE_REVOKED,
        RegistryCode.OVERRIDE_NOT_YOURS,
    ],
    409: [RegistryCode.OVERRIDE_BUSY],
    422: [RegistryCode.OVERRIDE_INVALID],
}
ISSUE = {
    403: [RegistryCode.OVERRIDE_SUBJECT_FORBIDDEN],
    404: [RegistryCode.OVERRIDE_SUBJECT_UNKNOWN],
    409: [RegistryCode.NO_ACTIVE_VERSION],
    422: [RegistryCode.OVERRIDE_ORIGIN_INVALID],
    503: [RegistryCode.OVERRIDE_SUBJECT_CHECK_UNAVAILABLE],
}
REVOKE = {
    404: [RegistryCode.OVERRIDE_NOT_FOUND],
    409: [RegistryCode.OVERRIDE_CHANGED_CONCURRENTLY, RegistryCode.OVERRIDE_BUSY],
}
HEALTH_REPORT = {
    404: [RegistryCode.FRAGMENT_NOT_FOUND],
    409: [RegistryCode.VERSION_NOT_SERVED],
    429: [RegistryCode.REPORTS_RATE_LIMITED],
}


def registry_error(status_code: int, code: RegistryCode | str, reason: str) -> HTTPException:
    return ApiError(status_code, code, reason)


def unprocessable(code: RegistryCode | str, reason: str) -> HTTPException:
    return registry_error(status.HTTP_422_UNPROCESSABLE_CONTENT, code, reason)


def conflict(code: RegistryCode, reason: str) -> HTTPException:
    return registry_error(status.HTTP_409_CONFLICT, code, reason)


def not_found(code: RegistryCode, reason: str) -> HTTPException:
    return registry_error(status.HTTP_404_NOT_FOUND, code, reason)


def forbidden(code: RegistryCode, reason: str) -> HTTPException:
    return registry_error(status.HTTP_403_FORBIDDEN, code, reason)
