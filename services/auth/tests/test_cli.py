"""The bootstrap CLI: run as a real process against the real store for its front door
(arguments, output, exit status), and its commands called directly for the rest."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auth_service.cli import (
    CommandError,
    admin_password,
    create_admin,
    create_client_command,
    generate_key_command,
)
from auth_service.models import User

ROOT = Path(__file__).resolve().parents[3]


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

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "auth_service.cli", *args]
        return subprocess.run(
            command,
            env=environment | env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run


async def test_create_admin_prints_a_generated_password_that_signs_in(client, accounts, run_cli):
    result = run_cli("create-admin", "--email", "Root@Example.io")
    assert result.returncode == 0, result.stderr
    password = result.stdout.strip().rsplit(": ", 1)[1]
    tokens = await accounts.tokens("root@example.io", password)
    me = (await client.get("/users/me", headers=accounts.bearer(tokens["access_token"]))).json()
    assert me["roles"] == ["member", "admin"] and me["is_superuser"] and me["is_verified"]


async def test_create_admin_takes_the_password_from_the_environment_never_argv(
    client, accounts, run_cli
):
    on_the_command_line = run_cli(
        "create-admin", "--email", "root@example.io", "--password", "visible in ps"
    )
    assert on_the_command_line.returncode == 2
    assert "unrecognized arguments: --password" in on_the_command_line.stderr
    assert await User.find_all().count() == 0

    result = run_cli(
        "create-admin", "--email", "root@example.io", AUTH_ADMIN_PASSWORD="kept out of ps"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "root@example.io is an admin\n"  # neither echoed nor generated
    assert await accounts.tokens("root@example.io", "kept out of ps")


def test_on_a_terminal_the_password_is_typed_twice(monkeypatch):
    monkeypatch.delenv("AUTH_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    typed = iter(["typed secret", "typed secret", "one", "another", ""])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))

    assert admin_password() == "typed secret"
    with pytest.raises(CommandError, match="differ"):
        admin_password()
    assert admin_password() is None  # nothing typed: one is generated and printed


@pytest.mark.parametrize("argument", ["PASSWORD=shown by ps", "AUTH_ADMIN_PASSWORD=shown by ps"])
def test_make_admin_refuses_a_password_among_its_arguments(argument):
    # -o setup: the refusal comes before anything is installed or run. Were it missing, the
    # command would find no store rather than the developer's own.
    nowhere = "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=500"
    result = subprocess.run(
        ["make", "-s", "-o", "setup", "admin", "EMAIL=root@example.io", argument],
        cwd=ROOT,
        env=os.environ | {"AUTH_MONGODB_URI": nowhere, "MONGODB_URI": nowhere},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "would show in ps" in result.stderr and "type the password" in result.stderr


async def test_bad_input_exits_with_status_2_and_a_message(client, run_cli):
    bad_email = run_cli("create-admin", "--email", "not-an-email")
    assert bad_email.returncode == 2 and bad_email.stderr.startswith("error: invalid e-mail")
    assert bad_email.stdout == ""
    assert await User.find_all().count() == 0


async def test_create_admin_promotes_an_existing_account(client, accounts, settings):
    await accounts.register("sue@example.io")
    said = await create_admin(settings, "sue@example.io", "ignored password")
    assert said == "sue@example.io is an admin (existing account promoted; password unchanged)"
    await create_admin(settings, "SUE@example.io", None)
    user = await User.find_one(User.email == "sue@example.io")
    assert user.roles == ["member", "admin"] and user.is_superuser
    assert (await accounts.login("sue@example.io")).status_code == 200  # password unchanged


async def test_create_admin_refuses_a_weak_password(client, settings):
    with pytest.raises(CommandError, match=r"invalid password: .*at least 10"):
        await create_admin(settings, "ok@example.io", "short")
    assert await User.find_all().count() == 0


async def test_create_client_prints_credentials_once(client):
    credentials = json.loads(
        await create_client_command("publisher", "publisher:dashboard,member", if_missing=False)
    )
    form = {
        "grant_type": "client_credentials",
        **{k: credentials[k] for k in ("client_id", "client_secret")},
    }
    assert (await client.post("/token", data=form)).status_code == 200

    with pytest.raises(CommandError, match="exists"):
        await create_client_command("publisher", "", if_missing=False)
    again = await create_client_command("publisher", "", if_missing=True)
    assert json.loads(again) == {
        "client_id": "publisher",
        "client_secret": None,
        "roles": ["publisher:dashboard", "member"],
    }
    with pytest.raises(CommandError, match="invalid client"):
        await create_client_command("Bad Name", "", if_missing=False)


def test_generate_key_if_missing_keeps_the_existing_key(settings):
    before = sorted(settings.keys_dir.glob("key-*.pem"))
    assert generate_key_command(settings, if_missing=True).startswith("signing key present")
    assert sorted(settings.keys_dir.glob("key-*.pem")) == before
    generate_key_command(settings, if_missing=False)
    assert len(list(settings.keys_dir.glob("key-*.pem"))) == 2
    # The link secret is configured, so no file is made for it...
    assert not (settings.keys_dir / "link-secret").exists()
    # ...but a development setup without one gets it generated alongside the key.
    generate_key_command(settings.model_copy(update={"link_token_secret": None}), if_missing=True)
    assert (settings.keys_dir / "link-secret").stat().st_mode & 0o077 == 0
