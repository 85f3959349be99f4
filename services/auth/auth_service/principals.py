"""Which of some principal ids name a known, active account: a user (by id) or a service
account (`client:<client id>`). Malformed ids name nobody."""

from beanie import PydanticObjectId
from bson.errors import InvalidId

from auth_service.models import ApiClient, User
from auth_service.tokens import CLIENT_SUBJECT_PREFIX


async def active_principals(ids: list[str]) -> set[str]:
    client_ids = {i.removeprefix(CLIENT_SUBJECT_PREFIX) for i in ids if _is_client(i)}
    user_ids = {_object_id(i) for i in ids if not _is_client(i)} - {None}
    users = await User.find({"_id": {"$in": list(user_ids)}, "is_active": True}).to_list()
    clients = await ApiClient.find(
        {"client_id": {"$in": list(client_ids)}, "is_active": True}
    ).to_list()
    return {str(user.id) for user in users} | {
        CLIENT_SUBJECT_PREFIX + client.client_id for client in clients
    }


def _is_client(principal_id: str) -> bool:
    return principal_id.startswith(CLIENT_SUBJECT_PREFIX)


def _object_id(principal_id: str) -> PydanticObjectId | None:
    # Only the canonical form: "0123…" and "0123…".upper() must not both name one user.
    try:
        user_id = PydanticObjectId(principal_id)
    except (InvalidId, TypeError):
        return None
    return user_id if str(user_id) == principal_id else None
