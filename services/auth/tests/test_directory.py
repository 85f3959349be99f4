"""The members' directory: any signed-in user reads other users' display names by id,
and nothing else about them."""

import pytest
from bson import ObjectId

from auth_service.api.directory import MAX_IDS


async def lookup(client, headers, ids):
    return await client.get("/users/directory", headers=headers, params={"ids": ",".join(ids)})


@pytest.fixture
async def member(accounts) -> dict[str, str]:
    """A plain member's bearer header."""
    return accounts.bearer((await accounts.signed_in("reader@example.io"))["access_token"])


async def test_members_see_full_names_or_the_local_part_never_the_address(client, accounts, member):
    named = await accounts.register("ann.lee@example.io", full_name="Ann Lee")
    unnamed = await accounts.register("bo.ortiz@example.io")
    response = await lookup(client, member, [named["id"], unnamed["id"]])
    assert response.status_code == 200
    assert response.json() == [
        {"id": named["id"], "display_name": "Ann Lee"},
        {"id": unnamed["id"], "display_name": "bo.ortiz"},
    ]
    assert "@" not in response.text
    assert "member" not in response.text and "is_active" not in response.text


async def test_unknown_ids_are_left_out_and_repeats_answered_once(client, accounts, member):
    known = await accounts.register("cy@example.io", full_name="Cy Young")
    unknown = str(ObjectId())
    response = await lookup(client, member, [unknown, known["id"], known["id"]])
    assert response.json() == [{"id": known["id"], "display_name": "Cy Young"}]
    assert (await lookup(client, member, [unknown])).json() == []


async def test_deactivated_users_are_still_named(client, accounts, member, admin_headers):
    gone = await accounts.register("dee@example.io", full_name="Dee Parted")
    deactivated = await client.patch(
        f"/users/{gone['id']}", headers=admin_headers, json={"is_active": False}
    )
    assert deactivated.status_code == 200
    assert (await lookup(client, member, [gone["id"]])).json() == [
        {"id": gone["id"], "display_name": "Dee Parted"}
    ]


async def test_at_most_a_hundred_ids_per_request(client, member):
    at_limit = await lookup(client, member, [str(ObjectId()) for _ in range(MAX_IDS)])
    assert at_limit.status_code == 200 and at_limit.json() == []
    over = await lookup(client, member, [str(ObjectId()) for _ in range(MAX_IDS + 1)])
    assert over.status_code == 422
    assert over.json()["detail"]["code"] == "DIRECTORY_TOO_MANY_IDS"


@pytest.mark.parametrize(
    "ids",
    ["not-an-id", "", f"{ObjectId()},", f"{ObjectId()}, {ObjectId()}", "0" * 23, "g" * 24],
)
async def test_ids_that_are_not_object_ids_are_refused(client, member, ids):
    response = await client.get("/users/directory", headers=member, params={"ids": ids})
    assert response.status_code == 422
    assert response.json()["detail"]["code"] == "DIRECTORY_INVALID_ID"


async def test_a_missing_ids_parameter_is_refused(client, member):
    response = await client.get("/users/directory", headers=member)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "ids"]


async def test_callers_without_a_user_token_are_refused(client, accounts, admin_headers):
    someone = await accounts.register("eve@example.io", full_name="Eve Known")
    assert (await lookup(client, {}, [someone["id"]])).status_code == 401
    garbage = accounts.bearer("not.a.token")
    assert (await lookup(client, garbage, [someone["id"]])).status_code == 401

    created = await client.post("/clients", headers=admin_headers, json={"name": "reporter"})
    form = {
        "grant_type": "client_credentials",
        "client_id": "reporter",
        "client_secret": created.json()["client_secret"],
    }
    service = (await client.post("/token", data=form)).json()["access_token"]
    refused = await lookup(client, accounts.bearer(service), [someone["id"]])
    assert refused.status_code == 401 and "Eve" not in refused.text


async def test_each_user_may_look_up_a_bounded_number_of_names(settings, accounts_factory):
    limited = settings.model_copy(update={"directory_lookup_limit": "5/hour"})
    async with accounts_factory(limited) as accounts:
        client = accounts.client
        target = await accounts.register("fay@example.io", full_name="Fay Target")
        prober = accounts.bearer((await accounts.signed_in("probe@example.io"))["access_token"])
        guesses = [str(ObjectId()) for _ in range(4)]
        assert (await lookup(client, prober, guesses)).status_code == 200
        refused = await lookup(client, prober, [target["id"], str(ObjectId())])
        assert refused.status_code == 429
        assert refused.json()["detail"]["code"] == "DIRECTORY_TOO_MANY_LOOKUPS"
        assert int(refused.headers["Retry-After"]) > 0
        assert (await lookup(client, prober, [target["id"]])).status_code == 200

        other = accounts.bearer((await accounts.signed_in("other@example.io"))["access_token"])
        assert (await lookup(client, other, [target["id"]])).json() == [
            {"id": target["id"], "display_name": "Fay Target"}
        ]
