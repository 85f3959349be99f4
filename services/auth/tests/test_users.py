"""Users and roles (points 6 and 7): the self-service profile and the admin's management."""

import asyncio

import jwt

from auth_service.models import User


async def test_users_read_and_change_their_own_profile(client, accounts):
    pair = await accounts.signed_in("amy@example.io")
    headers = accounts.bearer(pair["access_token"])
    changed = await client.patch("/users/me", headers=headers, json={"full_name": "Amy Adams"})
    assert changed.status_code == 200 and changed.json()["full_name"] == "Amy Adams"
    assert (await client.get("/users/me", headers=headers)).json()["full_name"] == "Amy Adams"


async def test_users_cannot_grant_themselves_roles_or_flags(client, accounts):
    pair = await accounts.signed_in("bob@example.io")
    headers = accounts.bearer(pair["access_token"])
    body = {"roles": ["admin"], "is_superuser": True, "is_verified": True}
    me = (await client.patch("/users/me", headers=headers, json=body)).json()
    assert (me["roles"], me["is_superuser"], me["is_verified"]) == (["member"], False, False)
    assert (await client.get("/users", headers=headers)).status_code == 403


async def test_changing_the_password_ends_other_sessions(client, accounts):
    pair = await accounts.signed_in("cal@example.io")
    headers = accounts.bearer(pair["access_token"])
    current = {"current_password": accounts.password}
    weak = await client.patch(
        "/users/me", headers=headers, json={"password": "password1234", **current}
    )
    assert weak.status_code == 400
    assert weak.json()["detail"]["code"] == "UPDATE_USER_INVALID_PASSWORD"
    changed = await client.patch(
        "/users/me", headers=headers, json={"password": "a brand new secret", **current}
    )
    assert changed.status_code == 200
    refresh = await client.post("/jwt/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refresh.status_code == 401
    assert (await accounts.login("cal@example.io", "a brand new secret")).status_code == 200


async def test_two_users_taking_one_address_at_once_leave_one_owner(client, accounts):
    first = accounts.bearer((await accounts.signed_in("one@example.io"))["access_token"])
    second = accounts.bearer((await accounts.signed_in("two@example.io"))["access_token"])
    body = {"email": "same@example.io", "current_password": accounts.password}
    answers = await asyncio.gather(
        client.patch("/users/me", headers=first, json=body),
        client.patch("/users/me", headers=second, json=body),
    )
    assert sorted(answer.status_code for answer in answers) == [200, 400]
    refused = next(answer for answer in answers if answer.status_code == 400)
    assert refused.json()["detail"] == "UPDATE_USER_EMAIL_ALREADY_EXISTS"
    assert await User.find(User.email == "same@example.io").count() == 1


async def test_explicit_nulls_change_nothing_but_the_name(client, accounts):
    await accounts.register("dee@example.io", full_name="Dee Dee")
    headers = accounts.bearer((await accounts.tokens("dee@example.io"))["access_token"])
    body = {"email": None, "password": None, "full_name": None}
    changed = await client.patch("/users/me", headers=headers, json=body)
    assert changed.status_code == 200
    assert (changed.json()["email"], changed.json()["full_name"]) == ("dee@example.io", None)
    assert (await accounts.login("dee@example.io")).status_code == 200


async def test_admins_list_users_with_search_and_filters(client, accounts, admin_headers):
    for name in ("ann", "art", "bea", "ben", "cy"):
        await accounts.register(f"{name}@example.io", full_name=f"{name.title()} Person")
    page = (await client.get("/users", headers=admin_headers, params={"limit": 2})).json()
    assert [u["email"] for u in page["items"]] == ["admin@example.io", "ann@example.io"]
    assert page["next"]

    found = (await client.get("/users", headers=admin_headers, params={"q": "B"})).json()
    assert {u["email"] for u in found["items"]} == {"bea@example.io", "ben@example.io"}
    assert found["next"] is None
    by_name = (await client.get("/users", headers=admin_headers, params={"q": "art person"})).json()
    assert [u["email"] for u in by_name["items"]] == ["art@example.io"]
    regex_chars = (await client.get("/users", headers=admin_headers, params={"q": ".*"})).json()
    assert regex_chars["items"] == []

    admins = (await client.get("/users", headers=admin_headers, params={"role": "admin"})).json()
    assert [u["email"] for u in admins["items"]] == ["admin@example.io"]
    ben = next(u for u in found["items"] if u["email"] == "ben@example.io")
    await client.patch(f"/users/{ben['id']}", headers=admin_headers, json={"is_active": False})
    inactive = (
        await client.get("/users", headers=admin_headers, params={"active": "false"})
    ).json()
    assert [u["email"] for u in inactive["items"]] == ["ben@example.io"]


async def test_bad_list_parameters_are_refused(client, admin_headers):
    for params in (
        {"limit": 0},
        {"limit": 201},
        {"limit": "many"},
        {"role": "Not A Role"},
        {"active": "maybe"},
        {"q": "x" * 201},
        {"cursor": "x" * 1025},
    ):
        response = await client.get("/users", headers=admin_headers, params=params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "REQUEST_INVALID"
    assert (await client.get("/users")).status_code == 401


async def test_admins_set_free_form_roles_carried_in_the_next_token(
    client, accounts, admin_headers
):
    pair = await accounts.signed_in("fin@example.io")
    me = (await client.get("/users/me", headers=accounts.bearer(pair["access_token"]))).json()
    roles = ["member", "publisher:dashboard"]
    changed = await client.patch(f"/users/{me['id']}", headers=admin_headers, json={"roles": roles})
    assert changed.status_code == 200 and changed.json()["roles"] == roles
    refreshed = (
        await client.post("/jwt/refresh", json={"refresh_token": pair["refresh_token"]})
    ).json()
    claims = jwt.decode(refreshed["access_token"], options={"verify_signature": False})
    assert claims["roles"] == ["member", "publisher:dashboard"]
    bad = await client.patch(
        f"/users/{me['id']}", headers=admin_headers, json={"roles": ["Bad Role!"]}
    )
    assert bad.status_code == 422


async def test_the_admin_role_and_the_superuser_flag_agree(client, accounts, admin_headers):
    user = await accounts.register("gil@example.io")
    promoted = (
        await client.patch(f"/users/{user['id']}", headers=admin_headers, json={"roles": ["admin"]})
    ).json()
    assert promoted["is_superuser"] is True
    token = (await accounts.tokens("gil@example.io"))["access_token"]
    assert (await client.get("/users", headers=accounts.bearer(token))).status_code == 200
    demoted = (
        await client.patch(
            f"/users/{user['id']}", headers=admin_headers, json={"is_superuser": False}
        )
    ).json()
    assert demoted["roles"] == [] and demoted["is_superuser"] is False
    assert (await client.get("/users", headers=accounts.bearer(token))).status_code == 403


async def test_deactivated_users_cannot_sign_in_or_refresh(client, accounts, admin_headers):
    pair = await accounts.signed_in("hue@example.io")
    user = await User.find_one(User.email == "hue@example.io")
    response = await client.patch(
        f"/users/{user.id}", headers=admin_headers, json={"is_active": False}
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    refresh = await client.post("/jwt/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refresh.status_code == 401
    assert refresh.json()["detail"]["code"] == "REFRESH_TOKEN_REVOKED"
    login = await accounts.login("hue@example.io")
    assert login.status_code == 400 and login.json()["detail"] == "LOGIN_BAD_CREDENTIALS"
    assert (
        await client.get("/users/me", headers=accounts.bearer(pair["access_token"]))
    ).status_code == 401


async def test_admins_read_and_delete_users(client, accounts, admin_headers):
    pair = await accounts.signed_in("ivy@example.io")
    user = await User.find_one(User.email == "ivy@example.io")
    read = await client.get(f"/users/{user.id}", headers=admin_headers)
    assert read.status_code == 200 and read.json()["email"] == "ivy@example.io"
    assert (await client.delete(f"/users/{user.id}", headers=admin_headers)).status_code == 204
    assert (await client.get(f"/users/{user.id}", headers=admin_headers)).status_code == 404
    assert (
        await client.post("/jwt/refresh", json={"refresh_token": pair["refresh_token"]})
    ).status_code == 401
    assert (await client.get("/users/not-an-id", headers=admin_headers)).status_code == 404


async def test_members_cannot_manage_users(client, accounts):
    pair = await accounts.signed_in("jay@example.io")
    headers = accounts.bearer(pair["access_token"])
    me = (await client.get("/users/me", headers=headers)).json()
    assert (await client.get(f"/users/{me['id']}", headers=headers)).status_code == 403
    assert (
        await client.patch(f"/users/{me['id']}", headers=headers, json={"roles": ["admin"]})
    ).status_code == 403
    assert (await client.delete(f"/users/{me['id']}", headers=headers)).status_code == 403
