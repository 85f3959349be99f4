"""Adding someone to a project by e-mail: any signed-in user finds the one active account
with an exact address (`GET /users/lookup?email=`), and learns nothing else."""

import pytest


async def find(client, headers, email):
    return await client.get("/users/lookup", headers=headers, params={"email": email})


@pytest.fixture
async def owner(accounts) -> dict[str, str]:
    """A plain member's bearer header."""
    return accounts.bearer((await accounts.signed_in("owner@example.io"))["access_token"])


async def test_an_exact_address_names_its_account_and_nothing_more(client, accounts, owner):
    ann = await accounts.register("ann.lee@example.io", full_name="Ann Lee")
    response = await find(client, owner, "ann.lee@example.io")
    assert response.status_code == 200
    assert response.json() == {"id": ann["id"], "display_name": "Ann Lee"}


async def test_the_address_is_compared_as_registration_stores_it(client, accounts, owner):
    bo = await accounts.register("Bo.Ortiz@Example.io")
    for spelling in ("bo.ortiz@example.io", "BO.ORTIZ@EXAMPLE.IO", "  bo.ortiz@example.io "):
        response = await find(client, owner, spelling)
        assert response.json() == {"id": bo["id"], "display_name": "bo.ortiz"}, spelling


@pytest.mark.parametrize(
    "asked",
    [
        "cy@example",
        "cy@example.i",
        "y@example.io",
        "cy",
        "@example.io",
        ".*",
        "cy@example.io.",
        "c",
    ],
)
async def test_parts_and_patterns_of_an_address_find_nobody(client, accounts, owner, asked):
    await accounts.register("cy@example.io")
    response = await find(client, owner, asked)
    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "EMAIL_LOOKUP_NOT_FOUND"


async def test_deactivated_and_unknown_accounts_get_the_same_answer(
    client, accounts, owner, admin_headers
):
    gone = await accounts.register("dee@example.io")
    deactivated = await client.patch(
        f"/users/{gone['id']}", headers=admin_headers, json={"is_active": False}
    )
    assert deactivated.status_code == 200
    inactive = await find(client, owner, "dee@example.io")
    unknown = await find(client, owner, "nobody@example.io")
    assert inactive.status_code == unknown.status_code == 404
    # Alike but for the request id, which is each request's own.
    assert {**inactive.json(), "request_id": None} == {**unknown.json(), "request_id": None}


@pytest.mark.parametrize("email", ["", "a" * 321])
async def test_empty_or_overlong_addresses_are_refused(client, owner, email):
    response = await find(client, owner, email)
    assert response.status_code == 422


async def test_callers_without_a_user_token_are_refused(client, accounts, admin_headers):
    await accounts.register("eve@example.io", full_name="Eve Known")
    assert (await find(client, {}, "eve@example.io")).status_code == 401
    created = await client.post("/clients", headers=admin_headers, json={"name": "reporter"})
    form = {
        "grant_type": "client_credentials",
        "client_id": "reporter",
        "client_secret": created.json()["client_secret"],
    }
    service = (await client.post("/token", data=form)).json()["access_token"]
    refused = await find(client, accounts.bearer(service), "eve@example.io")
    assert refused.status_code == 401 and "Eve" not in refused.text


async def test_each_user_may_make_a_bounded_number_of_lookups(settings, accounts_factory):
    limited = settings.model_copy(update={"email_lookup_limit": "3/hour"})
    async with accounts_factory(limited) as accounts:
        client = accounts.client
        await accounts.register("fay@example.io")
        prober = accounts.bearer((await accounts.signed_in("probe@example.io"))["access_token"])
        other = accounts.bearer((await accounts.signed_in("other@example.io"))["access_token"])
        assert (await find(client, prober, "guess1@example.io")).status_code == 404
        assert (await find(client, prober, "guess2@example.io")).status_code == 404
        assert (await find(client, prober, "fay@example.io")).status_code == 200
        refused = await find(client, prober, "fay@example.io")
        assert refused.status_code == 429
        assert refused.json()["detail"]["code"] == "EMAIL_LOOKUP_TOO_MANY"
        assert int(refused.headers["Retry-After"]) > 0
        assert (await find(client, other, "fay@example.io")).status_code == 200
