"""Mail flows (point 8), delivered over SMTP to a real aiosmtpd server."""

import asyncio

from pwdlib.hashers.argon2 import Argon2Hasher
from structlog.testing import capture_logs

from auth_service.models import User


async def test_forgot_password_mails_a_working_reset_link(client, accounts, inbox):
    pair = await accounts.signed_in("kay@example.io")
    response = await client.post("/forgot-password", json={"email": "KAY@example.io"})
    assert response.status_code == 202
    mail = await inbox.wait_for("kay@example.io")
    assert mail["Subject"] == "Reset your password"
    assert "http://127.0.0.1:8000/reset-password?token=" in mail.get_payload(decode=True).decode()
    token = inbox.token_in(mail)

    weak = await client.post("/reset-password", json={"token": token, "password": "password1234"})
    assert (
        weak.status_code == 400
        and weak.json()["detail"]["code"] == "RESET_PASSWORD_INVALID_PASSWORD"
        and "too easy to guess" in weak.json()["detail"]["reason"]
    )
    reset = await client.post(
        "/reset-password", json={"token": token, "password": "a fresh passphrase"}
    )
    assert reset.status_code == 200
    assert (await accounts.login("kay@example.io")).status_code == 400
    assert (await accounts.login("kay@example.io", "a fresh passphrase")).status_code == 200
    # Sessions from before the reset are over, and the link works once only.
    assert (
        await client.post("/jwt/refresh", json={"refresh_token": pair["refresh_token"]})
    ).status_code == 401
    again = await client.post(
        "/reset-password", json={"token": token, "password": "another passphrase"}
    )
    assert again.json()["detail"] == "RESET_PASSWORD_BAD_TOKEN"


async def test_forgot_password_answers_the_same_for_unknown_addresses(client, accounts, inbox):
    await accounts.register("lou@example.io")
    known = await client.post("/forgot-password", json={"email": "lou@example.io"})
    unknown = await client.post("/forgot-password", json={"email": "nobody@example.io"})
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    await inbox.wait_for("lou@example.io")
    await asyncio.sleep(0.3)
    assert inbox.to("nobody@example.io") == []


async def test_bad_reset_requests_are_refused(client):
    garbage = await client.post(
        "/reset-password", json={"token": "garbage", "password": "long enough one"}
    )
    assert garbage.status_code == 400 and garbage.json()["detail"] == "RESET_PASSWORD_BAD_TOKEN"
    assert (await client.post("/reset-password", json={"token": "x"})).status_code == 422
    assert (await client.post("/forgot-password", json={"email": 5})).status_code == 422


async def test_verification_mail_verifies_the_address(client, accounts, inbox):
    await accounts.register("mae@example.io")
    assert (
        await client.post("/request-verify-token", json={"email": "mae@example.io"})
    ).status_code == 202
    mail = await inbox.wait_for("mae@example.io")
    assert mail["Subject"] == "Confirm your e-mail address"
    verified = await client.post("/verify", json={"token": inbox.token_in(mail)})
    assert verified.status_code == 200 and verified.json()["is_verified"] is True
    assert (await User.find_one(User.email == "mae@example.io")).is_verified
    again = await client.post("/verify", json={"token": inbox.token_in(mail)})
    assert again.json()["detail"] == "VERIFY_USER_ALREADY_VERIFIED"
    garbage = (await client.post("/verify", json={"token": "garbage"})).json()
    assert garbage["code"] == garbage["detail"] == "VERIFY_USER_BAD_TOKEN"


async def test_a_down_mail_server_does_not_break_the_answer(
    settings, accounts_factory, unused_port
):
    no_server = settings.model_copy(update={"smtp_port": unused_port, "smtp_timeout_s": 1})
    async with accounts_factory(no_server) as accounts:
        await accounts.register("ned@example.io")
        with capture_logs() as logged:
            response = await accounts.client.post(
                "/forgot-password", json={"email": "ned@example.io"}
            )
            await accounts.client.app.state.auth.mailer.drain()
        assert response.status_code == 202
        failures = [entry for entry in logged if entry["event"] == "mail not sent"]
        assert [entry["subject"] for entry in failures] == ["Reset your password"]
        assert "token" not in str(failures)  # the reset link is not written to the log


async def test_a_reset_mail_that_fails_to_be_made_is_logged(client, accounts, inbox, monkeypatch):
    await accounts.register("ola@example.io")

    def broken_hash(*_: object) -> str:
        raise MemoryError("argon2 could not allocate")

    monkeypatch.setattr(Argon2Hasher, "hash", broken_hash)
    with capture_logs() as logged:
        response = await client.post("/forgot-password", json={"email": "ola@example.io"})
        await client.app.state.auth.mailer.drain()
    assert response.status_code == 202
    failures = [entry for entry in logged if entry["event"] == "mail not sent"]
    assert [(entry["subject"], entry["exc_info"]) for entry in failures] == [
        ("Reset your password", True)
    ]
    assert inbox.to("ola@example.io") == []
