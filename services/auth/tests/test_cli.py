"""The bootstrap CLI, run as a real process against the real store."""

import json
import os
import subprocess
import sys

import pytest

from auth_service.models import User


@pytest.fixture
def run_cli(settings):
    environment = {
        **os.environ,
        "AUTH_ENVIRONMENT": "test",
        "AUTH_MONGODB_URI": settings.mongodb_uri,
        "AUTH_DATABASE": settings.database,
        "AUTH_KEYS_DIR": str(settings.keys_dir),
        "AUTH_LINK_TOKEN_SECRET": settings.link_token_secret.get_secret_value(),
        "AUTH_ARGON2_TIME_COST": "1",
        "AUTH_ARGON2_MEMORY_KIB": "1024",
        "AUTH_ARGON2_PARALLELISM": "1",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "auth_service.cli", *args]
        return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=60)

    return run


async def test_create_admin_prints_a_generated_password_that_signs_in(client, accounts, run_cli):
    result = run_cli("create-admin", "--email", "Root@Example.io")
    assert result.returncode == 0, result.stderr
    password = result.stdout.strip().rsplit(": ", 1)[1]
    tokens = await accounts.tokens("root@example.io", password)
    me = (await client.get("/users/me", headers=accounts.bearer(tokens["access_token"]))).json()
    assert me["roles"] == ["member", "admin"] and me["is_superuser"] and me["is_verified"]


async def test_create_admin_promotes_an_existing_account(client, accounts, run_cli):
    await accounts.register("sue@example.io")
    result = run_cli("create-admin", "--email", "sue@example.io", "--password", "ignored password")
    assert result.returncode == 0 and "promoted" in result.stdout
    assert run_cli("create-admin", "--email", "sue@example.io").returncode == 0
    user = await User.find_one(User.email == "sue@example.io")
    assert user.roles == ["member", "admin"] and user.is_superuser
    assert (await accounts.login("sue@example.io")).status_code == 200  # password unchanged


async def test_create_admin_refuses_bad_input(client, run_cli):
    bad_email = run_cli("create-admin", "--email", "not-an-email")
    assert bad_email.returncode == 2 and "invalid e-mail" in bad_email.stderr
    weak = run_cli("create-admin", "--email", "ok@example.io", "--password", "short")
    assert weak.returncode == 2 and "at least 8" in weak.stderr
    assert await User.find_all().count() == 0


async def test_create_client_prints_credentials_once(client, run_cli):
    created = run_cli(
        "create-client", "--name", "publisher", "--roles", "publisher:dashboard,member"
    )
    assert created.returncode == 0, created.stderr
    credentials = json.loads(created.stdout)
    form = {
        "grant_type": "client_credentials",
        **{k: credentials[k] for k in ("client_id", "client_secret")},
    }
    assert (await client.post("/token", data=form)).status_code == 200

    exists = run_cli("create-client", "--name", "publisher")
    assert exists.returncode == 2
    again = run_cli("create-client", "--name", "publisher", "--if-missing")
    assert again.returncode == 0
    assert json.loads(again.stdout) == {
        "client_id": "publisher",
        "client_secret": None,
        "roles": ["publisher:dashboard", "member"],
    }
    assert run_cli("create-client", "--name", "Bad Name").returncode == 2


def test_generate_key_if_missing_keeps_the_existing_key(settings, run_cli):
    before = sorted(settings.keys_dir.glob("key-*.pem"))
    assert run_cli("generate-key", "--if-missing").returncode == 0
    assert sorted(settings.keys_dir.glob("key-*.pem")) == before
    assert run_cli("generate-key").returncode == 0
    assert len(list(settings.keys_dir.glob("key-*.pem"))) == 2
