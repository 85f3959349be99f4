"""Service accounts: API clients that get access tokens with the client-credentials grant."""

import hmac
import secrets

from pymongo.errors import DuplicateKeyError

from auth_service.models import ApiClient
from auth_service.refresh import hash_token


class ClientExistsError(Exception):
    pass


async def create_client(client_id: str, roles: list[str]) -> tuple[ApiClient, str]:
    """The new client and its secret (shown once; only its hash is kept)."""
    secret = secrets.token_urlsafe(32)
    client = ApiClient(
        client_id=client_id, secret_hash=hash_token(secret), roles=list(dict.fromkeys(roles))
    )
    try:
        await client.insert()
    except DuplicateKeyError as error:
        raise ClientExistsError(client_id) from error
    return client, secret


async def find_client(client_id: str) -> ApiClient | None:
    return await ApiClient.find_one(ApiClient.client_id == client_id)


async def authenticate_client(client_id: str, secret: str) -> ApiClient | None:
    client = await find_client(client_id)
    if client is None or not client.is_active:
        return None
    if not hmac.compare_digest(client.secret_hash, hash_token(secret)):
        return None
    return client


async def list_clients() -> list[ApiClient]:
    return await ApiClient.find_all().sort("+client_id").to_list()
