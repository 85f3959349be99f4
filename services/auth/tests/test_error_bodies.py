"""Errors the framework raises (routing, fastapi-users without a detail) carry a stable code;
fastapi-users' own string codes stay as they are."""

from fastapi_users.router.common import ErrorCode


async def test_a_post_to_a_get_only_route_is_a_coded_405_that_keeps_allow(client):
    response = await client.post("/.well-known/jwks.json")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json()["detail"]["code"] == "METHOD_NOT_ALLOWED"


async def test_an_unknown_path_is_a_coded_404(client):
    response = await client.get("/no-such-page")
    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "NOT_FOUND"


async def test_a_request_without_token_is_a_coded_401(client):
    response = await client.get("/users/me")
    assert response.status_code == 401
    assert response.json()["detail"]["code"] == "UNAUTHORIZED"


async def test_fastapi_users_string_codes_are_kept(client):
    response = await client.post(
        "/jwt/login", data={"username": "nobody@example.com", "password": "wrong password"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == ErrorCode.LOGIN_BAD_CREDENTIALS
