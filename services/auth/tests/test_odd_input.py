"""Odd input anywhere gets a precise 4xx and changes nothing: text that is not Unicode,
numbers JSON cannot carry, bodies of the wrong type; and a 422 never repeats what was sent."""

import pytest

from auth_service.models import User

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/register", r'{"email": "a@x.io", "password": "long enough \ud800"}'),
        (
            "/register",
            r'{"email": "a@x.io", "password": "long enough password", "full_name": "\udc00"}',
        ),
        ("/register", r'{"email": "a\ud800@x.io", "password": "long enough password"}'),
        ("/register", r'{"email": "a@x.io", "password": "long enough password", "\ud800": 1}'),
        ("/jwt/refresh", r'{"refresh_token": "\ud800"}'),
        ("/jwt/logout", r'{"refresh_token": "\ud800"}'),
        ("/forgot-password", r'{"email": "a\ud800@x.io"}'),
        ("/reset-password", r'{"token": "\ud800", "password": "long enough password"}'),
        ("/verify", r'{"token": "\ud800"}'),
    ],
)
async def test_lone_surrogates_are_refused_as_text_that_is_not_unicode(client, path, body):
    response = await client.post(path, content=body, headers=JSON)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]["code"] == "BODY_NOT_UNICODE"
    assert await User.find_all().count() == 0


async def test_a_profile_change_with_a_lone_surrogate_changes_nothing(client, accounts):
    pair = await accounts.signed_in("una@example.io")
    headers = {**accounts.bearer(pair["access_token"]), **JSON}
    response = await client.patch("/users/me", content=r'{"full_name": "\ud800"}', headers=headers)
    assert response.status_code == 422 and response.json()["detail"]["code"] == "BODY_NOT_UNICODE"
    assert (await User.find_one(User.email == "una@example.io")).full_name is None


async def test_escaped_characters_outside_the_basic_plane_are_accepted(client):
    body = r'{"email": "emo@x.io", "password": "long enough \ud83d\ude00", "full_name": "\ud83d\ude00"}'
    response = await client.post("/register", content=body, headers=JSON)
    assert response.status_code == 201, response.text
    assert response.json()["full_name"] == "\N{GRINNING FACE}"


async def test_a_number_json_cannot_carry_is_a_422_not_a_500(client):
    body = '{"email": "inf@x.io", "password": "long enough password", "full_name": 1e999}'
    response = await client.post("/register", content=body, headers=JSON)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "string_type",
            "loc": ["body", "full_name"],
            "msg": "Input should be a valid string",
        }
    ]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
async def test_refused_bodies_are_not_echoed_back(client, content_type):
    secret = "my very secret passphrase"
    body = f'{{"email": "echo@x.io", "password": "{secret}"}}'
    response = await client.post("/register", content=body, headers={"content-type": content_type})
    assert response.status_code == 422
    assert secret not in response.text
    assert await User.find_all().count() == 0


@pytest.mark.parametrize("name", ["a\u0000b", "line\nbreak", "bell\u0007"])
async def test_control_characters_in_names_are_refused(client, name):
    body = {"email": "ctl@x.io", "password": "long enough password", "full_name": name}
    response = await client.post("/register", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "full_name"]
