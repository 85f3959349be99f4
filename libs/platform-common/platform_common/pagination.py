"""Keyset (cursor) pagination, the one used by every list of every service: pages stay correct
while documents are inserted or changed.

A cursor is the sort values of the last item returned, tagged with the sort it belongs to,
as URL-safe base64 JSON followed by an HMAC-SHA256 of that JSON under the service's cursor
key (core-api: CORE_CURSOR_SECRET; auth: derived from its link secret). The next page asks
for items strictly after it in the sort order;
`_id` closes every sort so the order is total and no item is skipped or repeated.

A cursor is checked before it is read: a client can only hand back a cursor the server made.
Each value is still decoded by type from a JSON shape of our own (never BSON extended JSON,
which would turn `{"$code": ...}` into code), and only the plain values of
`_CURSOR_VALUE_TYPES` that the store can compare come back; anything else is 400
INVALID_CURSOR.
"""

import base64
import binascii
import hashlib
import hmac
import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

import pymongo
from bson import ObjectId
from fastapi import Query, status
from pydantic import BaseModel

from platform_common.errors import ApiError

# Only plain values may come back from a cursor: a dict could smuggle a query operator in.
_CURSOR_VALUE_TYPES = (str, int, float, datetime, ObjectId, type(None))
_INT64 = range(-(2**63), 2**63)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)
_OBJECT_ID = re.compile(r"[0-9a-f]{24}")
ItemT = TypeVar("ItemT")


class CursorErrorCode(StrEnum):
    INVALID_CURSOR = "INVALID_CURSOR"
    CURSOR_MISMATCH = "CURSOR_MISMATCH"


# What a paged list may answer besides its own errors (platform_common.errors.error_responses).
PAGED = {400: [CursorErrorCode.INVALID_CURSOR, CursorErrorCode.CURSOR_MISMATCH]}
MAX_LIMIT = 200
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (1-200)")]
Cursor = Annotated[
    str | None,
    Query(max_length=1024, description="The `next` value of the previous page"),
]


class _Malformed(ValueError):
    """A cursor the server did not make, or whose values are not the plain kinds it makes."""


@dataclass(frozen=True)
class KeysetSort:
    """A named sort: its fields with directions, the last of which must be `_id`."""

    name: str
    fields: tuple[tuple[str, int], ...]

    def mongo_sort(self) -> list[tuple[str, int]]:
        return list(self.fields)

    def values_of(self, raw: dict[str, Any]) -> list[Any]:
        return [raw.get(field) for field, _ in self.fields]

    def after(self, values: list[Any]) -> dict[str, Any]:
        """The filter for items strictly after `values` in this sort's order."""
        branches = []
        for position, (field, direction) in enumerate(self.fields):
            equal = {name: values[i] for i, (name, _) in enumerate(self.fields[:position])}
            operator = "$gt" if direction == pymongo.ASCENDING else "$lt"
            branches.append({**equal, field: {operator: values[position]}})
        return {"$or": branches}


class CursorCodec:
    """Makes and checks the signed cursors of every list (one per app, from its settings)."""

    def __init__(self, key: str) -> None:
        self._key = key.encode()

    def encode(self, sort: KeysetSort, raw: dict[str, Any]) -> str:
        payload = {"s": sort.name, "v": [_tagged(value) for value in sort.values_of(raw)]}
        body = json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()
        return f"{_b64(body)}.{_b64(self._mac(body))}"

    def decode(self, sort: KeysetSort, cursor: str) -> list[Any]:
        """The sort values in a cursor this server made for `sort`; 400 otherwise."""
        try:
            name, values = self._verified(cursor)
        except _Malformed as error:
            raise _refused(CursorErrorCode.INVALID_CURSOR, "The cursor is malformed") from error
        if name != sort.name:
            raise _refused(
                CursorErrorCode.CURSOR_MISMATCH, "The cursor belongs to another sort order"
            )
        if len(values) != len(sort.fields):
            raise _refused(CursorErrorCode.INVALID_CURSOR, "The cursor is malformed")
        return values

    def page_query(
        self, sort: KeysetSort, query: dict[str, Any], cursor: str | None
    ) -> dict[str, Any]:
        """`query` narrowed to the items after the cursor. The condition is added beside the
        query's own fields rather than in an $and, so that FerretDB v1 still pushes the
        top-level equalities down to its SQL backend; only a query with an `$or` of its own
        (a search over several fields) gets both in an `$and`."""
        if not cursor:
            return query
        after = sort.after(self.decode(sort, cursor))
        if "$or" not in query:
            return {**query, **after}
        own = {field: condition for field, condition in query.items() if field != "$and"}
        own_or = own.pop("$or")
        return {**own, "$and": [*query.get("$and", []), {"$or": own_or}, after]}

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()

    def _verified(self, cursor: str) -> tuple[str, list[Any]]:
        body_part, _, mac_part = cursor.partition(".")
        body, mac = _unb64(body_part), _unb64(mac_part)
        if not hmac.compare_digest(mac, self._mac(body)):
            raise _Malformed("signature")
        try:
            payload = json.loads(body)
        except ValueError as error:  # signed by this key, yet not ours: a key shared elsewhere
            raise _Malformed("json") from error
        if not isinstance(payload, dict) or not isinstance(payload.get("s"), str):
            raise _Malformed("shape")
        values = payload.get("v")
        if not isinstance(values, list):
            raise _Malformed("shape")
        return payload["s"], [_untagged(value) for value in values]


def _refused(code: CursorErrorCode, message: str) -> ApiError:
    return ApiError(status.HTTP_400_BAD_REQUEST, code, message)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise _Malformed("base64") from error


def _tagged(value: Any) -> list[Any]:
    """A sort value as [tag, JSON value]: the type survives the round trip exactly."""
    if value is None:
        return ["n", None]
    if isinstance(value, ObjectId):
        return ["o", str(value)]
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return ["d", (aware - _EPOCH) // _MILLISECOND]
    for kind, tag in ((str, "s"), (int, "i"), (float, "f")):
        if isinstance(value, kind) and not isinstance(value, bool):
            return [tag, kind(value)]
    raise TypeError(f"{type(value).__name__} cannot be a cursor value")


def _untagged(item: Any) -> Any:
    if not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], str):
        raise _Malformed("value")
    tag, value = item
    if tag == "n" and value is None:
        return None
    if tag == "s" and isinstance(value, str):
        return value
    if tag == "o" and isinstance(value, str) and _OBJECT_ID.fullmatch(value):
        return ObjectId(value)
    if tag in ("i", "d") and type(value) is int and value in _INT64:
        return value if tag == "i" else _datetime_of(value)
    if tag == "f" and type(value) is float and math.isfinite(value):
        return value
    raise _Malformed("value")


def _datetime_of(milliseconds: int) -> datetime:
    try:
        return _EPOCH + milliseconds * _MILLISECOND
    except OverflowError as error:
        raise _Malformed("datetime") from error


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next: str | None = None
