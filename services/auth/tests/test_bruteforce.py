"""Brute-force limits on sign-in (point 9) and on the client-credentials grant."""

import asyncio

import pytest


async def test_five_failures_lock_the_account_with_retry_after(accounts):
    await accounts.register("ola@example.io")
    for _ in range(5):
        assert (await accounts.login("ola@example.io", "wrong password")).status_code == 400
    locked = await accounts.login("OLA@example.io")  # even the right password, any case
    assert locked.status_code == 429
    assert locked.json()["detail"]["code"] == "LOGIN_TOO_MANY_ATTEMPTS"
    assert 800 < int(locked.headers["Retry-After"]) <= 900
    # Other accounts are not affected.
    await accounts.register("pam@example.io")
    assert (await accounts.login("pam@example.io")).status_code == 200


async def test_concurrent_guesses_cannot_outrun_the_account_limit(accounts):
    await accounts.register("ted@example.io")
    guesses = [accounts.login("ted@example.io", f"guess number {n}") for n in range(12)]
    answers = await asyncio.gather(*guesses)
    assert sorted(answer.status_code for answer in answers) == [400] * 5 + [429] * 7


async def test_a_successful_sign_in_resets_the_account_count(accounts):
    await accounts.register("quin@example.io")
    for _ in range(4):
        await accounts.login("quin@example.io", "wrong password")
    assert (await accounts.login("quin@example.io")).status_code == 200
    for _ in range(4):
        assert (await accounts.login("quin@example.io", "wrong password")).status_code == 400
    assert (await accounts.login("quin@example.io")).status_code == 200


async def test_unknown_accounts_are_limited_too(accounts):
    for _ in range(5):
        await accounts.login("ghost@example.io", "guess")
    assert (await accounts.login("ghost@example.io", "guess")).status_code == 429


@pytest.fixture
def address_limited(settings):
    return settings.model_copy(update={"login_address_limit": "3/15 minutes"})


async def test_failures_are_limited_per_client_address(address_limited, accounts_factory):
    async with accounts_factory(address_limited) as accounts:
        await accounts.register("ray@example.io")
        spraying = {"X-Forwarded-For": "203.0.113.7"}
        for victim in ("a@example.io", "b@example.io", "c@example.io"):
            await accounts.login(victim, "guess", headers=spraying)
        refused = await accounts.login("ray@example.io", headers=spraying)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        elsewhere = await accounts.login(
            "ray@example.io", headers={"X-Forwarded-For": "198.51.100.2"}
        )
        assert elsewhere.status_code == 200


async def test_forwarded_addresses_count_only_from_trusted_proxies(
    address_limited, accounts_factory
):
    untrusted = address_limited.model_copy(update={"trusted_proxies": ["10.0.0.1"]})
    async with accounts_factory(untrusted) as accounts:
        await accounts.register("sam@example.io")
        for number in range(3):  # a client cannot dodge the limit by inventing addresses
            await accounts.login(
                f"v{number}@example.io", "guess", headers={"X-Forwarded-For": f"192.0.2.{number}"}
            )
        assert (await accounts.login("sam@example.io")).status_code == 429


async def test_failed_client_authentications_are_limited_per_address(settings, accounts_factory):
    limited = settings.model_copy(update={"client_address_limit": "3/15 minutes"})
    async with accounts_factory(limited) as accounts:
        admin = accounts.bearer(await accounts.make_admin())
        created = await accounts.client.post("/clients", headers=admin, json={"name": "bot"})
        good = {"grant_type": "client_credentials", "client_id": "bot"}
        good["client_secret"] = created.json()["client_secret"]
        guessing = {"X-Forwarded-For": "203.0.113.9"}
        for number in range(3):
            wrong = {**good, "client_secret": f"guess {number}"}
            response = await accounts.client.post("/token", data=wrong, headers=guessing)
            assert response.status_code == 401
        refused = await accounts.client.post("/token", data=good, headers=guessing)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert refused.json()["detail"]["code"] == "CLIENT_TOO_MANY_ATTEMPTS"
        # The client itself is not locked out: another address still gets its token.
        elsewhere = {"X-Forwarded-For": "198.51.100.9"}
        response = await accounts.client.post("/token", data=good, headers=elsewhere)
        assert response.status_code == 200
