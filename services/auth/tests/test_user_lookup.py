"""Admins look users up by id in one request (`GET /users?ids=…`), e.g. to show the
e-mail of each actor on a page of the audit log."""

import pytest
from bson import ObjectId

from auth_service.api.user_ids import MAX_IDS


async def lookup(client, headers, ids, **params):
    params = {"ids": ",".join(ids), "limit": MAX_IDS, **params}
    return await client.get("/users", headers=headers, params=params)


async def test_admins_get_the_known_users_among_the_ids(client, accounts, admin_headers):
    ann = await accounts.register("ann@example.io", full_name="Ann Lee")
    bo = await accounts.register("bo@example.io")
    await accounts.register("not.asked@example.io")
    deactivated = await client.patch(
        f"/users/{bo['id']}", headers=admin_headers, json={"is_active": False}
    )
    assert deactivated.status_code == 200
    unknown = str(ObjectId())

    response = await lookup(client, admin_headers, [bo["id"], unknown, ann["id"], bo["id"]])
    assert response.status_code == 200
    page = response.json()
    assert page["next"] is None
    found = [
        (user["id"], user["email"], user["full_name"], user["roles"], user["is_active"])
        for user in page["items"]
    ]
    assert found == [
        (ann["id"], "ann@example.io", "Ann Lee", ["member"], True),
        (bo["id"], "bo@example.io", None, ["member"], False),
    ]
    assert (await lookup(client, admin_headers, [unknown])).json()["items"] == []


async def test_ids_narrow_the_other_filters(client, accounts, admin_headers):
    ann = await accounts.register("ann@example.io")
    bo = await accounts.register("bo@example.io")
    await client.patch(f"/users/{bo['id']}", headers=admin_headers, json={"is_active": False})
    inactive = await lookup(client, admin_headers, [ann["id"], bo["id"]], active="false")
    assert [user["email"] for user in inactive.json()["items"]] == ["bo@example.io"]
    first = (await lookup(client, admin_headers, [ann["id"], bo["id"]], limit=1)).json()
    assert [user["email"] for user in first["items"]] == ["ann@example.io"]
    second = await lookup(
        client, admin_headers, [ann["id"], bo["id"]], limit=1, cursor=first["next"]
    )
    assert [user["email"] for user in second.json()["items"]] == ["bo@example.io"]
    assert second.json()["next"] is None


async def test_at_most_a_hundred_ids_per_request(client, accounts, admin_headers):
    ann = await accounts.register("ann@example.io")
    at_limit = [ann["id"]] + [str(ObjectId()) for _ in range(MAX_IDS - 1)]
    answered = await lookup(client, admin_headers, at_limit)
    assert answered.status_code == 200
    assert [user["email"] for user in answered.json()["items"]] == ["ann@example.io"]
    over = await lookup(client, admin_headers, [*at_limit, str(ObjectId())])
    assert over.status_code == 422
    assert over.json()["detail"]["code"] == "USERS_TOO_MANY_IDS"


@pytest.mark.parametrize(
    "ids",
    ["not-an-id", "", f"{ObjectId()},", f"{ObjectId()}, {ObjectId()}", "0" * 23, "g" * 24],
)
async def test_ids_that_are_not_user_ids_are_refused(client, admin_headers, ids):
    response = await client.get("/users", headers=admin_headers, params={"ids": ids})
    assert response.status_code == 422
    assert response.json()["detail"]["code"] == "USERS_INVALID_ID"


async def test_only_admins_may_look_users_up(client, accounts, admin_headers):
    ann = await accounts.register("ann@example.io")
    assert (await lookup(client, {}, [ann["id"]])).status_code == 401

    member = accounts.bearer((await accounts.signed_in("member@example.io"))["access_token"])
    refused = await lookup(client, member, [ann["id"]])
    assert refused.status_code == 403 and "ann@" not in refused.text

    created = await client.post("/clients", headers=admin_headers, json={"name": "reporter"})
    form = {
        "grant_type": "client_credentials",
        "client_id": "reporter",
        "client_secret": created.json()["client_secret"],
    }
    service = (await client.post("/token", data=form)).json()["access_token"]
    assert (await lookup(client, accounts.bearer(service), [ann["id"]])).status_code == 401
