"""Keyset (cursor) pagination: pages stay correct while documents are inserted or changed.

A cursor is the sort values of the last item returned, tagged with the sort it belongs to,
in opaque URL-safe base64. The next page asks for items strictly after it in the sort order;
`_id` closes every sort so the order is total and no item is skipped or repeated.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

import pymongo
from bson import ObjectId, json_util
from bson.errors import BSONError
from fastapi import Query
from pydantic import BaseModel

from core_api.errors import ErrorCode, bad_request

# Only plain values may come back from a cursor: a dict could smuggle a query operator in.
_CURSOR_VALUE_TYPES = (str, int, float, datetime, ObjectId, type(None))
ItemT = TypeVar("ItemT")
MAX_LIMIT = 200
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (1-200)")]
Cursor = Annotated[
    str | None,
    Query(max_length=1024, description="The `next` value of the previous page"),
]


@dataclass(frozen=True)
class KeysetSort:
    """A named sort: its fields with directions, the last of which must be `_id`."""

    name: str
    fields: tuple[tuple[str, int], ...]

    def mongo_sort(self) -> list[tuple[str, int]]:
        return list(self.fields)

    def values_of(self, raw: dict[str, Any]) -> list[Any]:
        return [raw.get(field) for field, _ in self.fields]

    def page_query(self, query: dict[str, Any], cursor: str | None) -> dict[str, Any]:
        """`query` narrowed to the items after the cursor. The condition is added beside the
        query's own fields rather than in an $and, so that FerretDB v1 still pushes the
        top-level equalities down to its SQL backend."""
        if not cursor:
            return query
        return {**query, **self.after(decode_cursor(self, cursor))}

    def after(self, values: list[Any]) -> dict[str, Any]:
        """The filter for items strictly after `values` in this sort's order."""
        branches = []
        for position, (field, direction) in enumerate(self.fields):
            equal = {name: values[i] for i, (name, _) in enumerate(self.fields[:position])}
            operator = "$gt" if direction == pymongo.ASCENDING else "$lt"
            branches.append({**equal, field: {operator: values[position]}})
        return {"$or": branches}


def encode_cursor(sort: KeysetSort, raw: dict[str, Any]) -> str:
    payload = json_util.dumps({"s": sort.name, "v": sort.values_of(raw)})
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(sort: KeysetSort, cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json_util.loads(base64.urlsafe_b64decode(padded.encode()))
        name, values = payload["s"], payload["v"]
    except (ValueError, binascii.Error, BSONError, KeyError, TypeError) as error:
        raise bad_request(ErrorCode.INVALID_CURSOR, "The cursor is malformed") from error
    if name != sort.name:
        raise bad_request(ErrorCode.CURSOR_MISMATCH, "The cursor belongs to another sort order")
    if (
        not isinstance(values, list)
        or len(values) != len(sort.fields)
        or not all(isinstance(value, _CURSOR_VALUE_TYPES) for value in values)
    ):
        raise bad_request(ErrorCode.INVALID_CURSOR, "The cursor is malformed")
    return values


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next: str | None = None
