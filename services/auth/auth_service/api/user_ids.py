"""User ids asked for as one comma-separated query parameter (the directory, the admin list)."""

from beanie import PydanticObjectId
from bson import ObjectId

from auth_service.errors import AuthErrorCode, auth_error

MAX_IDS = 100


def parse_user_ids(
    ids: str, *, too_many: AuthErrorCode, invalid: AuthErrorCode
) -> list[PydanticObjectId]:
    """The distinct ids of a comma-separated list, in the order given; 422 with `too_many`
    past MAX_IDS, with `invalid` naming the first piece that is not a user id."""
    pieces = ids.split(",")
    if len(pieces) > MAX_IDS:
        raise auth_error(422, too_many, f"Ask for at most {MAX_IDS} ids at once")
    for position, piece in enumerate(pieces, start=1):
        if not ObjectId.is_valid(piece):
            raise auth_error(
                422, invalid, f"Id number {position} is not a user id (24 hexadecimal digits)"
            )
    return list(dict.fromkeys(PydanticObjectId(piece) for piece in pieces))
