"""Service accounts with the client-credentials grant (point 10)."""

import httpx
import jwt


async def make_client(client, admin_headers, name="reporter", roles=("reports:read",)) -> dict:
    response = await client.post(
        "/clients", headers=admin_headers, json={"name": name, "roles": list(roles)}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_an_admin_creates_a_client_that_gets_tokens(client, admin_headers):
    created = await make_client(client, admin_headers)
    assert created["client_id"] == "reporter" and len(created["client_secret"]) >= 40
    form = {
        "grant_type": "client_credentials",
        "client_id": "reporter",
        "client_secret": created["client_secret"],
    }
    response = await client.post("/token", data=form)
    assert response.status_code == 200
    body = response.json()
    assert (
        body["token_type"] == "bearer" and body["expires_in"] == 900 and "refresh_token" not in body
    )
    claims = client.app.state.auth.access_tokens.verify(body["access_token"])
    assert claims["sub"] == "client:reporter"
    assert claims["roles"] == ["reports:read"]
    assert "email" not in claims


async def test_clients_may_authenticate_with_http_basic(client, admin_headers):
    created = await make_client(client, admin_headers)
    response = await client.post(
        "/token",
        data={"grant_type": "client_credentials"},
        auth=httpx.BasicAuth("reporter", created["client_secret"]),
    )
    assert response.status_code == 200
    assert (
        jwt.decode(response.json()["access_token"], options={"verify_signature": False})["sub"]
        == "client:reporter"
    )


async def test_wrong_or_missing_client_credentials_are_refused(client, admin_headers):
    created = await make_client(client, admin_headers)
    cases = [
        {"grant_type": "client_credentials", "client_id": "reporter", "client_secret": "wrong"},
        {
            "grant_type": "client_credentials",
            "client_id": "nobody",
            "client_secret": created["client_secret"],
        },
        {"grant_type": "client_credentials", "client_id": "reporter"},
        {"grant_type": "client_credentials"},
    ]
    for form in cases:
        response = await client.post("/token", data=form)
        assert response.status_code == 401, form
        assert response.json()["detail"]["code"] == "INVALID_CLIENT"
        assert response.json()["error"] == "invalid_client"
        assert response.headers["WWW-Authenticate"] == "Basic"
    password_grant = {
        "grant_type": "password",
        "client_id": "reporter",
        "client_secret": created["client_secret"],
    }
    response = await client.post("/token", data=password_grant)
    assert (
        response.status_code == 400
        and response.json()["detail"]["code"] == "UNSUPPORTED_GRANT_TYPE"
    )
    assert (await client.post("/token", data={})).status_code == 422
    assert (
        await client.post("/token", json={"grant_type": "client_credentials"})
    ).status_code == 422


async def test_deactivated_clients_get_no_tokens(client, admin_headers):
    created = await make_client(client, admin_headers)
    assert (await client.delete("/clients/reporter", headers=admin_headers)).status_code == 204
    form = {
        "grant_type": "client_credentials",
        "client_id": "reporter",
        "client_secret": created["client_secret"],
    }
    assert (await client.post("/token", data=form)).status_code == 401
    listed = (await client.get("/clients", headers=admin_headers)).json()
    assert [(c["client_id"], c["is_active"]) for c in listed] == [("reporter", False)]
    assert "client_secret" not in listed[0] and "secret_hash" not in listed[0]
    assert (await client.delete("/clients/nobody", headers=admin_headers)).status_code == 404


async def test_client_names_are_unique_and_well_formed(client, admin_headers):
    await make_client(client, admin_headers)
    again = await client.post("/clients", headers=admin_headers, json={"name": "reporter"})
    assert again.status_code == 409 and again.json()["detail"]["code"] == "CLIENT_ALREADY_EXISTS"
    for bad in (
        {"name": "Has Spaces"},
        {"name": ""},
        {"name": 7},
        {"name": "ok", "roles": ["BAD"]},
    ):
        assert (await client.post("/clients", headers=admin_headers, json=bad)).status_code == 422


async def test_only_admins_manage_clients_and_client_tokens_are_not_users(
    client, accounts, admin_headers
):
    member = await accounts.signed_in("tia@example.io")
    headers = accounts.bearer(member["access_token"])
    assert (
        await client.post("/clients", headers=headers, json={"name": "sneaky"})
    ).status_code == 403
    assert (await client.get("/clients", headers=headers)).status_code == 403
    created = await make_client(client, admin_headers, name="admin-bot", roles=["admin"])
    form = {
        "grant_type": "client_credentials",
        "client_id": "admin-bot",
        "client_secret": created["client_secret"],
    }
    token = (await client.post("/token", data=form)).json()["access_token"]
    assert (await client.get("/users/me", headers=accounts.bearer(token))).status_code == 401
