"""Refusing JSON bodies whose strings are not Unicode text.

JSON can spell a lone UTF-16 surrogate (`"\\ud800"`); Python decodes it into a str that
cannot be encoded again, so whatever hashes, signs, stores or even echoes it fails with a
500. No e-mail, password, name or token legitimately holds one, so such a body is refused
before anything reads it.
"""

import json
import re
from typing import Any

from fastapi import Request

from auth_service.errors import AuthErrorCode, auth_error

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _holds_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_holds_lone_surrogate(k) or _holds_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_lone_surrogate(item) for item in value)
    return False


async def require_unicode_json(request: Request) -> None:
    """A route dependency; only JSON bodies are read (form bodies decode invalid bytes
    to U+FFFD themselves)."""
    if not _is_json(request.headers.get("content-type", "")):
        return
    body = await request.body()
    if not _SURROGATE_ESCAPE.search(body):
        return
    try:
        document = json.loads(body)
    except ValueError:
        return  # FastAPI answers malformed JSON itself
    if _holds_lone_surrogate(document):
        raise auth_error(
            422,
            AuthErrorCode.BODY_NOT_UNICODE,
            "The body holds text that is not valid Unicode (a lone surrogate escape)",
        )
