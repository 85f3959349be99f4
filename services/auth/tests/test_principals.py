"""The internal principal check core-api makes before adding a project member: which ids
name a known, active user or service account."""

from bson import ObjectId

from platform_common.principals import MAX_PRINCIPAL_IDS


async def active(client, ids):
    return await client.post("/internal/principals", json={"ids": ids})


async def make_client(client, admin_headers, name):
    response = await client.post("/clients", headers=admin_headers, json={"name": name})
    assert response.status_code == 201, response.text


async def test_known_active_users_and_clients_are_answered_in_the_order_asked(
    client, accounts, admin_headers
):
    ann = await accounts.register("ann@example.io")
    bo = await accounts.register("bo@example.io")
    await make_client(client, admin_headers, "reporter")
    asked = [bo["id"], "client:reporter", str(ObjectId()), "client:nobody", ann["id"], bo["id"]]
    response = await active(client, asked)
    assert response.status_code == 200
    assert response.json() == {"active": [bo["id"], "client:reporter", ann["id"]]}


async def test_deactivated_users_and_clients_are_not_active(client, accounts, admin_headers):
    gone = await accounts.register("gone@example.io")
    patched = await client.patch(
        f"/users/{gone['id']}", headers=admin_headers, json={"is_active": False}
    )
    assert patched.status_code == 200
    await make_client(client, admin_headers, "retired")
    assert (await client.delete("/clients/retired", headers=admin_headers)).status_code == 204
    response = await active(client, [gone["id"], "client:retired"])
    assert response.json() == {"active": []}


async def test_malformed_ids_name_nobody(client, accounts):
    ann = await accounts.register("ann@example.io")
    asked = [
        "not-a-real-user",
        ann["id"].upper(),
        f" {ann['id']}",
        "client:",
        "ann@example.io",
        '{"$ne": null}',
    ]
    response = await active(client, asked)
    assert response.status_code == 200
    assert response.json() == {"active": []}


async def test_the_batch_is_bounded(client):
    at_limit = await active(client, [str(ObjectId()) for _ in range(MAX_PRINCIPAL_IDS)])
    assert at_limit.status_code == 200
    for ids in ([], [str(ObjectId()) for _ in range(MAX_PRINCIPAL_IDS + 1)], ["x" * 201]):
        assert (await active(client, ids)).status_code == 422
