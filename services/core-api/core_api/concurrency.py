"""Versions as ETags: `If-None-Match` answers 304, a stale `If-Match` answers 412 (the
writes themselves: core_api/versioned.py)."""

import re

from fastapi import Request, Response, status

from core_api.errors import ErrorCode, api_error, bad_request

# ASCII digits only: str.isdigit() also admits superscripts ("¹"), which int() refuses.
_VERSION_TAG = re.compile(r'(?:W/)?"([0-9]{1,18})"')


def etag_of(version: int) -> str:
    return f'"{version}"'


def not_modified(request: Request, version: int) -> Response | None:
    """A 304 when the client already holds this version, else None."""
    sent = request.headers.get("if-none-match")
    if sent is None:
        return None
    tags = {tag.strip().removeprefix("W/") for tag in sent.split(",")}
    if "*" in tags or etag_of(version) in tags:
        return Response(
            status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag_of(version)}
        )
    return None


def expected_version(request: Request) -> int | None:
    """The version named by `If-Match` (None when absent or `*`)."""
    sent = request.headers.get("if-match")
    if sent is None or sent.strip() == "*":
        return None
    tag = _VERSION_TAG.fullmatch(sent.strip())
    if tag is None:
        raise bad_request(ErrorCode.INVALID_IF_MATCH, 'If-Match must be an ETag such as "3"')
    return int(tag.group(1))


def check_version(expected: int | None, actual: int) -> None:
    if expected is not None and expected != actual:
        raise stale(actual)


def stale(actual: int) -> Exception:
    return api_error(
        status.HTTP_412_PRECONDITION_FAILED,
        ErrorCode.VERSION_MISMATCH,
        f"The resource changed (now version {actual}); reload it and retry",
    )


def lost_race(version: int) -> Exception:
    """Another writer of the same version got there first (its change may still be landing)."""
    return api_error(
        status.HTTP_412_PRECONDITION_FAILED,
        ErrorCode.VERSION_MISMATCH,
        f"Another change to version {version} won; reload it and retry",
    )
