"""The audit trail: who changed what, when, and the document before and after."""

from datetime import UTC, datetime
from typing import Annotated, Any

import pymongo
import structlog
from beanie import Document, Indexed
from bson import ObjectId
from fastapi.encoders import jsonable_encoder
from pydantic import Field

from platform_common.tokens import Principal


class AuditEntry(Document):
    at: Annotated[datetime, Indexed(index_type=pymongo.DESCENDING)] = Field(
        default_factory=lambda: datetime.now(UTC)
    )
    actor: str
    actor_roles: list[str] = []
    action: str
    target_type: str
    target_id: str
    project_id: str | None = None
    request_id: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None

    class Settings:
        name = "audit"
        indexes = [
            [("actor", pymongo.ASCENDING), ("_id", pymongo.DESCENDING)],
            [("action", pymongo.ASCENDING), ("_id", pymongo.DESCENDING)],
            [
                ("target_type", pymongo.ASCENDING),
                ("target_id", pymongo.ASCENDING),
                ("_id", pymongo.DESCENDING),
            ],
            [("project_id", pymongo.ASCENDING), ("_id", pymongo.DESCENDING)],
        ]


def _plain(document: dict[str, Any] | None) -> dict[str, Any] | None:
    if document is None:
        return None
    return jsonable_encoder(document, custom_encoder={ObjectId: str})


async def record(
    actor: Principal,
    action: str,
    target_type: str,
    target_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    project_id: str | None = None,
) -> AuditEntry:
    """Writes one entry. `action` reads like an event type ("task.updated");
    before/after are the changed document's public form (None for a create/delete)."""
    entry = entry_for(actor, action, target_type, target_id, before, after, project_id=project_id)
    await entry.insert()
    return entry


async def record_many(entries: list[AuditEntry]) -> None:
    """Writes entries made by `entry_for` in one round trip (bulk changes)."""
    if entries:
        await AuditEntry.insert_many(entries)


def entry_for(
    actor: Principal,
    action: str,
    target_type: str,
    target_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    project_id: str | None = None,
) -> AuditEntry:
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    return AuditEntry(
        actor=actor.subject,
        actor_roles=sorted(actor.roles),
        action=action,
        target_type=target_type,
        target_id=target_id,
        project_id=project_id,
        request_id=request_id,
        before=_plain(before),
        after=_plain(after),
    )
