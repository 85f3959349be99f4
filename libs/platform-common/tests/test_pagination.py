"""The signed cursors every list uses: any string a client sends is a cursor this service
made or a 400, never another exception; the values a cursor holds come back as they were;
a search's own `$or` still holds on the pages after the first."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

from bson import ObjectId
from fastapi import HTTPException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from platform_common.pagination import CursorCodec, KeysetSort

SORT = KeysetSort("tasks:due", (("due_sort", 1), ("_id", 1)))
KEY = "k" * 32


def signed(body: str, key: str) -> str:
    """`body` signed with the server's key: what a leaked key would let an attacker make."""
    mac = hmac.new(key.encode(), body.encode(), hashlib.sha256).digest()
    return f"{_b64(body.encode())}.{_b64(mac)}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_a_search_with_its_own_or_keeps_it_beside_the_cursor_condition():
    codec = CursorCodec(KEY)
    sort = KeysetSort("users-email", (("email", 1), ("_id", 1)))
    last = {"email": "b@example.io", "_id": ObjectId("0123456789abcdef01234567")}
    search = {"$or": [{"email": "x"}, {"full_name": "x"}], "is_active": True}
    query = codec.page_query(sort, search, codec.encode(sort, last))
    assert query == {
        "is_active": True,
        "$and": [{"$or": search["$or"]}, sort.after([last["email"], last["_id"]])],
    }
    assert codec.page_query(sort, search, None) == search
    plain = codec.page_query(sort, {"is_active": True}, codec.encode(sort, last))
    assert plain == {"is_active": True, **sort.after([last["email"], last["_id"]])}


sort_values = st.tuples(
    st.one_of(
        st.none(),
        st.text(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        st.datetimes(
            min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
        ).map(lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000)),
    ),
    st.binary(min_size=12, max_size=12).map(ObjectId),
)


@given(values=sort_values)
def test_every_value_a_cursor_may_hold_comes_back_as_it_was(values):
    codec = CursorCodec(KEY)
    cursor = codec.encode(SORT, {"due_sort": values[0], "_id": values[1]})
    assert codec.decode(SORT, cursor) == list(values)


def _decoded_or_400(codec: CursorCodec, cursor: str) -> None:
    try:
        values = codec.decode(SORT, cursor)
    except HTTPException as error:
        assert error.status_code == 400
        assert error.detail["code"] in ("INVALID_CURSOR", "CURSOR_MISMATCH")
        return
    assert len(values) == 2


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(cursor=st.text(max_size=1024))
def test_any_string_is_a_cursor_or_a_400(cursor):
    _decoded_or_400(CursorCodec(KEY), cursor)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(payload=json_values, name=st.sampled_from(["tasks:due", "projects", 7]))
def test_any_json_signed_with_the_key_is_a_cursor_or_a_400(payload, name):
    body = json.dumps({"s": name, "v": payload})
    _decoded_or_400(CursorCodec(KEY), signed(body, KEY))
    tagged = json.dumps({"s": name, "v": [["i", payload], ["o", payload]]})
    _decoded_or_400(CursorCodec(KEY), signed(tagged, KEY))
