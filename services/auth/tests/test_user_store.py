"""fastapi-users' Beanie adapter on the real store, without collations."""

import pytest
from beanie import init_beanie
from fastapi_users.exceptions import UserAlreadyExists

from auth_service.models import User
from auth_service.users import UserDatabase


@pytest.fixture
async def users(mongo, database_name) -> UserDatabase:
    await init_beanie(database=mongo[database_name], document_models=[User])
    return UserDatabase(User)


async def test_user_is_found_by_email_in_any_case(users):
    created = await users.create({"email": "Alice@Example.IO", "hashed_password": "x"})
    assert created.email == "alice@example.io"
    found = await users.get_by_email("ALICE@example.io")
    assert found is not None and found.id == created.id


async def test_emails_differing_only_in_case_are_one_account(users):
    await users.create({"email": "bob@example.io", "hashed_password": "x"})
    with pytest.raises(UserAlreadyExists):
        await users.create({"email": "BOB@example.io", "hashed_password": "y"})


async def test_unknown_email_is_none(users):
    assert await users.get_by_email("nobody@example.io") is None


async def test_the_service_starts_again_on_its_own_data(settings, accounts_factory):
    """FerretDB v1 drops the connection when Beanie re-declares several existing indexes in
    one command; a second start on the same database must still work."""
    for email in ("first@example.io", "second@example.io"):
        async with accounts_factory(settings) as accounts:
            await accounts.register(email)
            assert (await accounts.login(email)).status_code == 200
