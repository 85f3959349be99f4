"""The admin's user list pages with signed cursors (`limit`, `cursor`, `next`), as every list
of the platform does; one user is `/users/{user_id}`, with the platform's error bodies."""

import base64
import json

import pytest
from bson import ObjectId

from platform_common.pagination import CursorCodec, KeysetSort

NAMES = ("ann", "art", "bea", "ben", "cy", "dan", "eve")


@pytest.fixture
async def people(accounts, admin_headers) -> list[str]:
    """Seven members with "Person" in their name, and the admin: eight users in all."""
    for name in NAMES:
        await accounts.register(f"{name}@example.io", full_name=f"{name.title()} Person")
    return sorted(["admin@example.io", *(f"{name}@example.io" for name in NAMES)])


async def walk(client, headers, **params) -> tuple[list[str], int]:
    """Every e-mail the list gives, following `next` to the end; and how many pages."""
    emails: list[str] = []
    cursor, pages = None, 0
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/users", headers=headers, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        emails += [user["email"] for user in page["items"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            return emails, pages


async def test_following_next_reaches_every_user_once_in_email_order(client, admin_headers, people):
    assert await walk(client, admin_headers, limit=3) == (people, 3)
    assert await walk(client, admin_headers, limit=1) == (people, 8)
    assert await walk(client, admin_headers) == (people, 1)


async def test_a_search_pages_through_its_own_matches_only(client, admin_headers, people):
    # The search's $or over e-mail and name must hold on the later pages too.
    emails, pages = await walk(client, admin_headers, q="person", limit=2)
    assert emails == [email for email in people if email != "admin@example.io"]
    assert pages == 4


async def test_a_user_added_between_pages_does_not_shift_the_pages(
    client, accounts, admin_headers, people
):
    first = (await client.get("/users", headers=admin_headers, params={"limit": 4})).json()
    await accounts.register("aaron@example.io")
    rest, _ = await walk_from(client, admin_headers, first["next"], limit=4)
    assert [user["email"] for user in first["items"]] + rest == people


async def walk_from(client, headers, cursor, **params) -> tuple[list[str], int]:
    response = await client.get("/users", headers=headers, params={**params, "cursor": cursor})
    page = response.json()
    emails = [user["email"] for user in page["items"]]
    if page["next"] is None:
        return emails, 1
    more, pages = await walk_from(client, headers, page["next"], **params)
    return emails + more, pages + 1


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


async def test_a_cursor_the_service_did_not_make_is_400_invalid_cursor(
    client, admin_headers, people
):
    real = (await client.get("/users", headers=admin_headers, params={"limit": 2})).json()["next"]
    body, mac = real.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["v"][0] = ["s", "a"]  # start again from the top: a signature stops it
    tampered = f"{_b64(json.dumps(payload).encode())}.{mac}"
    another_key = CursorCodec("another-key-" * 4).encode(
        KeysetSort("users-email", (("email", 1), ("_id", 1))),
        {"email": "a", "_id": ObjectId()},
    )
    for cursor in ("not-a-cursor!", body, tampered, another_key, f"{body}.{_b64(b'x' * 32)}"):
        response = await client.get("/users", headers=admin_headers, params={"cursor": cursor})
        assert response.status_code == 400, cursor
        error = response.json()
        assert (error["code"], error["message"]) == ("INVALID_CURSOR", "The cursor is malformed")
    still = await client.get("/users", headers=admin_headers, params={"limit": 2, "cursor": real})
    assert still.status_code == 200 and len(still.json()["items"]) == 2


async def test_admins_read_one_user_by_user_id(client, accounts, admin_headers):
    ann = await accounts.register("ann@example.io", full_name="Ann Lee")
    read = await client.get(f"/users/{ann['id']}", headers=admin_headers)
    assert read.status_code == 200
    stored = {key: value for key, value in ann.items() if key != "created_at"}  # ms in store
    assert {key: value for key, value in read.json().items() if key != "created_at"} == stored


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("user_id", [str(ObjectId()), "not-an-id", "0" * 64])
async def test_an_unknown_user_id_is_404_user_not_found(client, admin_headers, method, user_id):
    body = {"full_name": "X"} if method == "PATCH" else None
    response = await client.request(method, f"/users/{user_id}", headers=admin_headers, json=body)
    assert response.status_code == 404
    error = response.json()
    assert (error["code"], error["message"]) == ("USER_NOT_FOUND", "No user has this id")
    assert error["request_id"] == response.headers["x-request-id"]


async def test_a_member_gets_403_before_any_look_up(client, accounts):
    member = accounts.bearer((await accounts.signed_in("jo@example.io"))["access_token"])
    for user_id in (str(ObjectId()), "not-an-id"):
        response = await client.get(f"/users/{user_id}", headers=member)
        assert (response.status_code, response.json()["code"]) == (403, "FORBIDDEN")


async def test_changes_refused_by_the_rules_are_400_with_fastapi_users_codes(
    client, accounts, admin_headers
):
    ann = await accounts.register("ann@example.io")
    taken = await client.patch(
        f"/users/{ann['id']}", headers=admin_headers, json={"email": "admin@example.io"}
    )
    assert (taken.status_code, taken.json()["code"]) == (400, "UPDATE_USER_EMAIL_ALREADY_EXISTS")
    weak = await client.patch(
        f"/users/{ann['id']}", headers=admin_headers, json={"password": "password1234"}
    )
    assert (weak.status_code, weak.json()["code"]) == (400, "UPDATE_USER_INVALID_PASSWORD")
    assert weak.json()["message"]


async def test_the_document_names_the_path_parameter_user_id(client):
    document = (await client.get("/openapi.json")).json()
    assert "/users/{id}" not in document["paths"]
    operations = document["paths"]["/users/{user_id}"]
    assert {method: op["operationId"] for method, op in operations.items()} == {
        "get": "users_get",
        "patch": "users_update",
        "delete": "users_delete",
    }
    for operation in operations.values():
        assert [p["name"] for p in operation["parameters"]] == ["user_id"]
        assert operation["responses"]["404"]["x-error-codes"] == ["USER_NOT_FOUND"]
        assert operation["responses"]["403"]["x-error-codes"] == ["FORBIDDEN"]
    listed = document["paths"]["/users"]["get"]
    assert {p["name"] for p in listed["parameters"]} == {
        "limit",
        "cursor",
        "q",
        "active",
        "role",
        "ids",
    }
    assert listed["responses"]["400"]["x-error-codes"] == ["INVALID_CURSOR", "CURSOR_MISMATCH"]
