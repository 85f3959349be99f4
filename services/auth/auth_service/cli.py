"""Bootstrap commands. They talk to the store directly with the AUTH_* settings.

python -m auth_service.cli create-admin --email E
    The password comes from AUTH_ADMIN_PASSWORD, or is asked for on a terminal, or is
    generated and printed; never from the command line, where `ps` would show it.
python -m auth_service.cli create-client --name N --roles r1,r2 [--if-missing]
python -m auth_service.cli generate-key [--if-missing]
python -m auth_service.cli prune-keys
"""

import argparse
import asyncio
import getpass
import json
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta

from beanie import init_beanie
from fastapi_users import InvalidPasswordException
from pydantic import TypeAdapter, ValidationError

from auth_service.accounts import user_manager
from auth_service.clients import ClientExistsError, create_client, find_client
from auth_service.context import build_context
from auth_service.keys import ensure_link_secret, generate_key, key_files, prune_keys
from auth_service.manager import ADMIN_ROLE
from auth_service.models import DOCUMENTS
from auth_service.schemas import ClientId, Roles, UserCreate, UserUpdate
from auth_service.settings import AuthSettings
from platform_common.indexes import ensure_indexes
from platform_common.store import connect


class CommandError(Exception):
    pass


def _first_error(error: ValidationError) -> str:
    return str(error.errors()[0]["msg"])


async def create_admin(settings: AuthSettings, email: str, password: str | None) -> str:
    """Creates an admin, or promotes the existing account (its password stays)."""
    manager = user_manager(build_context(settings))
    try:
        user = await manager.user_db.get_by_email(email)
        created = user is None
        chosen = password or manager.password_helper.generate()
        if user is None:
            user = await manager.create(UserCreate(email=email, password=chosen, is_verified=True))
        roles = list(dict.fromkeys([*user.roles, ADMIN_ROLE]))
        await manager.update(UserUpdate(roles=roles, is_active=True), user, safe=False)
    except ValidationError as error:
        raise CommandError(f"invalid e-mail: {_first_error(error)}") from None
    except InvalidPasswordException as error:
        raise CommandError(f"invalid password: {error.reason}") from None
    if not created:
        return f"{user.email} is an admin (existing account promoted; password unchanged)"
    if password is None:
        return f"{user.email} is an admin; generated password: {chosen}"
    return f"{user.email} is an admin"


def admin_password() -> str | None:
    """The new admin's password: from the environment, else typed twice on a terminal;
    None (generate one) when neither gives one."""
    if password := os.environ.get("AUTH_ADMIN_PASSWORD"):
        return password
    if not sys.stdin.isatty():
        return None
    password = getpass.getpass("Password for a new account (empty: generate one): ")
    if password and getpass.getpass("Same password again: ") != password:
        raise CommandError("the two passwords differ")
    return password or None


async def create_client_command(name: str, roles: str, if_missing: bool) -> str:
    try:
        client_id = TypeAdapter(ClientId).validate_python(name)
        role_list = TypeAdapter(Roles).validate_python([r for r in roles.split(",") if r])
    except ValidationError as error:
        raise CommandError(f"invalid client: {_first_error(error)}") from None
    try:
        client, secret = await create_client(client_id, role_list)
    except ClientExistsError:
        existing = await find_client(client_id)
        if not if_missing or existing is None:
            raise CommandError(f"a client named {client_id!r} exists") from None
        return json.dumps({"client_id": client_id, "client_secret": None, "roles": existing.roles})
    return json.dumps(
        {"client_id": client.client_id, "client_secret": secret, "roles": client.roles}
    )


def generate_key_command(settings: AuthSettings, if_missing: bool) -> str:
    if settings.link_token_secret is None:
        ensure_link_secret(settings.keys_dir)
    if if_missing and key_files(settings.keys_dir):
        return f"signing key present in {settings.keys_dir}"
    return f"new signing key {generate_key(settings.keys_dir)} (active from the next reload)"


def prune_keys_command(settings: AuthSettings) -> str:
    # A retired key stays published until every token it signed has expired.
    retire_after = timedelta(seconds=settings.access_token_lifetime_s + 60)
    removed = prune_keys(settings.keys_dir, retire_after)
    return f"removed {len(removed)} retired key(s)"


async def _with_store(settings: AuthSettings, command: Callable[[], Awaitable[str]]) -> str:
    client = connect(settings.mongodb_uri, "auth-cli")
    try:
        await init_beanie(
            database=client[settings.database], document_models=list(DOCUMENTS), skip_indexes=True
        )
        await ensure_indexes(DOCUMENTS)
        return await command()
    finally:
        await client.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m auth_service.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser(
        "create-admin",
        help="create or promote an admin account",
        description="A new account's password comes from AUTH_ADMIN_PASSWORD, or is asked "
        "for on a terminal, or is generated and printed.",
    )
    admin.add_argument("--email", required=True)
    client = commands.add_parser("create-client", help="create an API client (service account)")
    client.add_argument("--name", required=True, help="becomes the client_id")
    client.add_argument("--roles", default="", help="comma-separated roles")
    client.add_argument("--if-missing", action="store_true", help="succeed if it exists")
    key = commands.add_parser("generate-key", help="add a signing key (it becomes active)")
    key.add_argument("--if-missing", action="store_true", help="only when there is none")
    commands.add_parser("prune-keys", help="remove keys retired long enough ago")
    return parser


def run(argv: list[str]) -> str:
    args = _parser().parse_args(argv)
    settings = AuthSettings()
    if args.command == "create-admin":
        password = admin_password()
        return asyncio.run(
            _with_store(settings, lambda: create_admin(settings, args.email, password))
        )
    if args.command == "create-client":
        return asyncio.run(
            _with_store(
                settings, lambda: create_client_command(args.name, args.roles, args.if_missing)
            )
        )
    if args.command == "generate-key":
        return generate_key_command(settings, args.if_missing)
    return prune_keys_command(settings)


def main() -> None:
    try:
        print(run(sys.argv[1:]))
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
