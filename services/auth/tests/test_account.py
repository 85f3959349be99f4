"""What a signed-in user manages about their own account: token responses that keep the
refresh token out of page script, the session marker cookie, the list of sessions, and
changing e-mail or password (which needs the current password)."""

import pytest

from auth_service.devices import describe_device
from auth_service.models import User

BROWSER = {"Sec-Fetch-Site": "same-origin"}
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def set_cookie(response, name: str) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}="))


# Token responses


async def test_token_answers_are_not_stored_by_caches(client, accounts):
    await accounts.register("cy@example.io")
    login = await accounts.login("cy@example.io")
    refreshed = await client.post(
        "/jwt/refresh", json={"refresh_token": login.json()["refresh_token"]}
    )
    for answer in (login, refreshed):
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["pragma"] == "no-cache"


async def test_a_browser_gets_its_refresh_token_in_the_httponly_cookie_only(client, accounts):
    await accounts.register("bo@example.io")
    login = await accounts.login("bo@example.io", headers=BROWSER)
    assert login.status_code == 200
    assert "refresh_token" not in login.json() and login.json()["access_token"]
    assert "HttpOnly" in set_cookie(login, "farm_refresh")
    cookie = {"Cookie": f"farm_refresh={login.cookies['farm_refresh']}", **BROWSER}
    refreshed = await client.post("/jwt/refresh", headers=cookie)
    assert refreshed.status_code == 200
    assert "refresh_token" not in refreshed.json()
    assert refreshed.cookies["farm_refresh"] != login.cookies["farm_refresh"]


async def test_scripts_keep_getting_the_refresh_token_in_the_body(client, accounts):
    await accounts.register("si@example.io")
    pair = await accounts.tokens("si@example.io")
    refreshed = await client.post("/jwt/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refreshed.status_code == 200 and refreshed.json()["refresh_token"]


# The session marker


async def test_the_session_marker_is_readable_by_script_and_lives_as_long_as_the_session(
    client, accounts, settings
):
    await accounts.register("mo@example.io")
    login = await accounts.login("mo@example.io", headers=BROWSER)
    marker = set_cookie(login, "farm_session")
    assert marker.startswith("farm_session=1;")
    assert "HttpOnly" not in marker
    assert "Path=/;" in marker and "SameSite=strict" in marker
    assert f"Max-Age={settings.refresh_token_lifetime_s}" in marker
    refreshed = await client.post(
        "/jwt/refresh", headers={"Cookie": f"farm_refresh={login.cookies['farm_refresh']}"}
    )
    assert set_cookie(refreshed, "farm_session").startswith("farm_session=1;")


async def test_signing_out_everywhere_clears_the_session_marker(client, accounts):
    pair = await accounts.signed_in("ev@example.io")
    out = await client.post("/jwt/logout-all", headers=accounts.bearer(pair["access_token"]))
    assert out.status_code == 204
    assert "Max-Age=0" in set_cookie(out, "farm_session")


# Sessions


async def sign_in_from(accounts, email: str, user_agent: str):
    response = await accounts.login(email, headers={"User-Agent": user_agent})
    assert response.status_code == 200
    return response.json()


async def test_a_user_sees_each_signed_in_device_once_and_which_one_is_asking(client, accounts):
    await accounts.register("dev@example.io")
    laptop = await sign_in_from(accounts, "dev@example.io", FIREFOX)
    phone = await sign_in_from(accounts, "dev@example.io", CHROME_ANDROID)
    # A renewal rotates the phone's token but stays one session, now last used.
    phone_renewed = await client.post(
        "/jwt/refresh", json={"refresh_token": phone["refresh_token"]}
    )
    headers = {
        **accounts.bearer(laptop["access_token"]),
        "Cookie": f"farm_refresh={laptop['refresh_token']}",
    }
    listed = await client.get("/jwt/sessions", headers=headers)
    assert listed.status_code == 200
    assert listed.headers["cache-control"] == "no-store"
    sessions = listed.json()
    assert [(s["device"], s["current"]) for s in sessions] == [
        ("Chrome on Android", False),
        ("Firefox on Windows", True),
    ]
    phone_session = sessions[0]
    assert phone_session["last_used_at"] > phone_session["created_at"]
    assert phone_renewed.status_code == 200


async def test_signing_one_session_out_ends_it_and_only_it(client, accounts):
    await accounts.register("one@example.io")
    laptop = await sign_in_from(accounts, "one@example.io", FIREFOX)
    phone = await sign_in_from(accounts, "one@example.io", CHROME_ANDROID)
    headers = accounts.bearer(laptop["access_token"])
    sessions = (await client.get("/jwt/sessions", headers=headers)).json()
    phone_id = next(s["id"] for s in sessions if s["device"] == "Chrome on Android")

    revoked = await client.delete(f"/jwt/sessions/{phone_id}", headers=headers)
    assert revoked.status_code == 204
    assert "set-cookie" not in revoked.headers  # not this browser's session
    phone_refresh = await client.post(
        "/jwt/refresh", json={"refresh_token": phone["refresh_token"]}
    )
    assert phone_refresh.status_code == 401
    laptop_refresh = await client.post(
        "/jwt/refresh", json={"refresh_token": laptop["refresh_token"]}
    )
    assert laptop_refresh.status_code == 200
    left = (await client.get("/jwt/sessions", headers=headers)).json()
    assert [s["device"] for s in left] == ["Firefox on Windows"]


async def test_signing_out_the_current_session_clears_its_cookies(client, accounts):
    pair = await accounts.signed_in("cur@example.io")
    headers = {
        **accounts.bearer(pair["access_token"]),
        "Cookie": f"farm_refresh={pair['refresh_token']}",
    }
    (session,) = (await client.get("/jwt/sessions", headers=headers)).json()
    out = await client.delete(f"/jwt/sessions/{session['id']}", headers=headers)
    assert out.status_code == 204
    assert "Max-Age=0" in set_cookie(out, "farm_refresh")


async def test_nobody_signs_out_another_users_session(client, accounts):
    victim = await accounts.signed_in("vic@example.io")
    (session,) = (
        await client.get("/jwt/sessions", headers=accounts.bearer(victim["access_token"]))
    ).json()
    intruder = accounts.bearer((await accounts.signed_in("eve@example.io"))["access_token"])
    refused = await client.delete(f"/jwt/sessions/{session['id']}", headers=intruder)
    assert refused.status_code == 404
    assert refused.json()["detail"]["code"] == "SESSION_NOT_FOUND"
    still = await client.post("/jwt/refresh", json={"refresh_token": victim["refresh_token"]})
    assert still.status_code == 200


@pytest.mark.parametrize("session_id", ["not-an-id", "0" * 31, "G" * 32])
async def test_malformed_session_ids_are_refused(client, accounts, session_id):
    headers = accounts.bearer((await accounts.signed_in("mal@example.io"))["access_token"])
    assert (await client.delete(f"/jwt/sessions/{session_id}", headers=headers)).status_code == 422


async def test_sessions_need_a_signed_in_user(client):
    assert (await client.get("/jwt/sessions")).status_code == 401


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (FIREFOX, "Firefox on Windows"),
        (CHROME_ANDROID, "Chrome on Android"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.5 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/131.0.0.0 Safari/537.36",
            "Chrome on Linux",
        ),
        ("python-httpx/0.28.1", "Python"),
        ("", "Unknown device"),
        ("<script>alert(1)</script>", "Unknown device"),
    ],
)
def test_devices_get_short_names(user_agent, device):
    assert describe_device(user_agent) == device


# Changing e-mail and password


async def test_the_name_changes_without_the_password(client, accounts):
    pair = await accounts.signed_in("nam@example.io")
    changed = await client.patch(
        "/users/me", headers=accounts.bearer(pair["access_token"]), json={"full_name": "Nam Ng"}
    )
    assert changed.status_code == 200 and changed.json()["full_name"] == "Nam Ng"


@pytest.mark.parametrize(
    "change", [{"password": "a brand new passphrase"}, {"email": "new-address@example.io"}]
)
async def test_e_mail_and_password_changes_need_the_current_password(client, accounts, change):
    pair = await accounts.signed_in("own@example.io")
    headers = accounts.bearer(pair["access_token"])
    missing = await client.patch("/users/me", headers=headers, json=change)
    assert missing.status_code == 400
    assert missing.json()["detail"]["code"] == "CURRENT_PASSWORD_REQUIRED"
    wrong = await client.patch(
        "/users/me", headers=headers, json={**change, "current_password": "not my password"}
    )
    assert wrong.status_code == 400
    assert wrong.json()["detail"]["code"] == "CURRENT_PASSWORD_INVALID"
    user = await User.find_one(User.email == "own@example.io")
    assert user is not None
    assert (await accounts.login("own@example.io")).status_code == 200


async def test_guessing_the_current_password_is_limited_like_sign_in(client, accounts):
    pair = await accounts.signed_in("gus@example.io")
    headers = accounts.bearer(pair["access_token"])
    body = {"password": "a brand new passphrase", "current_password": "guess"}
    answers = [
        (await client.patch("/users/me", headers=headers, json=body)).status_code for _ in range(6)
    ]
    assert answers == [400] * 5 + [429]


async def test_a_weak_new_password_is_explained_for_its_field(client, accounts):
    pair = await accounts.signed_in("wek@example.io")
    weak = await client.patch(
        "/users/me",
        headers=accounts.bearer(pair["access_token"]),
        json={"password": "qwertyuiop", "current_password": accounts.password},
    )
    assert weak.status_code == 400
    reason = "Password is too easy to guess. This is a top-100 common password."
    assert (weak.json()["code"], weak.json()["message"]) == ("UPDATE_USER_INVALID_PASSWORD", reason)
    assert weak.json()["detail"] == {"code": "UPDATE_USER_INVALID_PASSWORD", "reason": reason}


async def test_a_new_e_mail_address_is_verified_and_the_old_one_told(client, accounts, inbox):
    await accounts.register("old@example.io")
    await User.find_one(User.email == "old@example.io").set({User.is_verified: True})
    pair = await accounts.tokens("old@example.io")
    changed = await client.patch(
        "/users/me",
        headers=accounts.bearer(pair["access_token"]),
        json={"email": "New@Example.io", "current_password": accounts.password},
    )
    assert changed.status_code == 200
    assert (changed.json()["email"], changed.json()["is_verified"]) == ("new@example.io", False)
    notice = await inbox.wait_for("old@example.io")
    assert notice["Subject"] == "Your e-mail address was changed"
    confirm = await inbox.wait_for("new@example.io")
    assert confirm["Subject"] == "Confirm your e-mail address"
    verified = await client.post("/verify", json={"token": inbox.token_in(confirm)})
    assert verified.status_code == 200 and verified.json()["is_verified"] is True
