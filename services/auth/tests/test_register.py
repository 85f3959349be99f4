"""Registration (point 1) and the bad inputs it must refuse without creating anything."""

import asyncio

import pytest
from fastapi_users.router.common import ErrorCode

from auth_service.models import User


async def test_register_creates_a_usable_unverified_member(client, accounts):
    user = await accounts.register("Zoe@Example.IO", full_name="Zoe Zed")
    assert user["email"] == "zoe@example.io"
    assert user["full_name"] == "Zoe Zed"
    assert user["roles"] == ["member"]
    assert user["is_verified"] is False and user["is_active"] is True
    assert "hashed_password" not in user and "password" not in user
    assert (await accounts.login("zoe@example.io")).status_code == 200


async def test_emails_are_one_account_whatever_their_case(client, accounts):
    await accounts.register("Alice@X.io")
    again = await client.post(
        "/register", json={"email": "alice@x.io", "password": accounts.password}
    )
    assert again.status_code == 400
    assert again.json()["detail"] == ErrorCode.REGISTER_USER_ALREADY_EXISTS
    assert await User.find_all().count() == 1


async def test_concurrent_registrations_of_one_address_make_one_account(client):
    body = {"email": "twin@example.io", "password": "long enough password"}
    answers = await asyncio.gather(*(client.post("/register", json=body) for _ in range(4)))
    assert sorted(answer.status_code for answer in answers) == [201, 400, 400, 400]
    refused = [answer.json() for answer in answers if answer.status_code == 400]
    assert [body["code"] for body in refused] == [ErrorCode.REGISTER_USER_ALREADY_EXISTS] * 3
    assert await User.find_all().count() == 1


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("password", "Password must be at least 10 characters"),
        ("password1234", "Password is too easy to guess. This is a very common password."),
        ("qwertyuiop", "Password is too easy to guess. This is a top-100 common password."),
        (
            "iloveyou2024",
            "Password is too easy to guess. This is similar to a commonly used password.",
        ),
        (
            "Pat@Example.io!!",
            "Password is too easy to guess. Use a longer phrase of uncommon words.",
        ),
        ("Pat@Example.io", "Password must not be the e-mail address"),
        ("x" * 1025, "Password must be at most 1024 characters"),
    ],
)
async def test_password_policy_is_explained(client, password, reason):
    response = await client.post(
        "/register", json={"email": "pat@example.io", "password": password}
    )
    assert response.status_code == 400
    assert response.json()["code"] == ErrorCode.REGISTER_INVALID_PASSWORD
    assert response.json()["message"] == reason
    assert response.json()["detail"] == {
        "code": ErrorCode.REGISTER_INVALID_PASSWORD,
        "reason": reason,
    }
    assert await User.find_all().count() == 0


@pytest.mark.parametrize(
    "privilege",
    [{"roles": ["admin"]}, {"is_superuser": True}, {"is_verified": True}, {"is_active": False}],
)
async def test_registration_refuses_to_set_privileges(client, privilege):
    body = {"email": "sly@example.io", "password": "long enough password"} | privilege
    response = await client.post("/register", json=body)
    assert response.status_code == 422
    assert response.json()["code"] == "REQUEST_INVALID"
    [field] = privilege
    [refused] = response.json()["detail"]
    assert (refused["type"], refused["loc"]) == ("extra_forbidden", ["body", field])
    assert await User.find_all().count() == 0

    signed_up = await client.post(
        "/register", json={"email": "sly@example.io", "password": body["password"]}
    )
    user = signed_up.json()
    assert (user["roles"], user["is_superuser"], user["is_verified"], user["is_active"]) == (
        ["member"],
        False,
        False,
        True,
    )
    await User.find_all().delete()


async def test_verification_can_be_required_to_sign_in(settings, accounts_factory):
    strict = settings.model_copy(update={"verification_required": True})
    async with accounts_factory(strict) as accounts:
        await accounts.register("val@example.io")
        response = await accounts.login("val@example.io")
        assert response.status_code == 400
        assert response.json()["detail"] == ErrorCode.LOGIN_USER_NOT_VERIFIED


@pytest.mark.parametrize(
    "email",
    [
        "\u0430lice@x.io",  # Cyrillic a
        "\uff41lice@x.io",  # full-width a
        "al\u200bice@x.io",  # zero-width space
        "alice@x.io\u202e",  # right-to-left override
        "alice@xn--x-or-\u0445.io",
        " alice @x.io",
        "alice",
        "",
    ],
)
async def test_unicode_tricks_and_malformed_emails_are_refused(client, email):
    response = await client.post(
        "/register", json={"email": email, "password": "long enough password"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "email"]
    assert await User.find_all().count() == 0


@pytest.mark.parametrize(
    ("request_kwargs", "error_type"),
    [
        (
            {
                "content": b'{"email": "a@x.io", "password":',
                "headers": {"content-type": "application/json"},
            },
            "json_invalid",
        ),
        ({"json": {"email": "a@x.io"}}, "missing"),
        ({"json": {"password": "long enough password"}}, "missing"),
        ({"json": {"email": 12345, "password": "long enough password"}}, "string_type"),
        ({"json": {"email": ["a@x.io"], "password": "long enough password"}}, "string_type"),
        ({"json": {"email": "a@x.io", "password": None}}, "string_type"),
        ({"json": ["a@x.io", "long enough password"]}, "model_attributes_type"),
    ],
)
async def test_malformed_bodies_get_422_with_the_reason(client, request_kwargs, error_type):
    response = await client.post("/register", **request_kwargs)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["type"] == error_type
    assert await User.find_all().count() == 0


async def test_bodies_over_64_kib_are_refused_with_413(client):
    body = {
        "email": "big@example.io",
        "password": "long enough password",
        "full_name": "x" * 70_000,
    }
    response = await client.post("/register", json=body)
    assert response.status_code == 413
    assert response.json()["code"] == "REQUEST_TOO_LARGE"
    assert response.json()["request_id"] == response.headers["x-request-id"]

    async def chunks():  # no Content-Length: the limit is counted as the body streams in
        yield b'{"email": "big@example.io", "password": "'
        for _ in range(70):
            yield b"y" * 1024
        yield b'"}'

    streamed = await client.post(
        "/register", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    assert streamed.json()["code"] == "REQUEST_TOO_LARGE"
    assert streamed.json()["request_id"] == streamed.headers["x-request-id"]
    assert await User.find_all().count() == 0
