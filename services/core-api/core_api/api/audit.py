"""GET /audit: the audit trail, for admins."""

from datetime import UTC, datetime
from typing import Annotated, Any

import pymongo
from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from core_api.audit import AuditEntry
from core_api.deps import AdminPrincipal, Cursors
from core_api.errors import ADMIN_ONLY, ErrorCode, bad_request
from platform_common.errors import error_responses
from platform_common.pagination import PAGED, Cursor, KeysetSort, Limit

router = APIRouter(tags=["audit"])

NEWEST_FIRST = KeysetSort("audit-newest", (("_id", pymongo.DESCENDING),))
Filter = Annotated[str | None, Query(max_length=200)]


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    at: datetime
    actor: str
    actor_roles: list[str]
    action: str
    target_type: str
    target_id: str
    project_id: str | None
    request_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    next: str | None


@router.get(
    "/audit",
    name="audit_list",
    summary="List audit entries, newest first (admin)",
    responses=error_responses(ADMIN_ONLY, PAGED, {400: [ErrorCode.INVALID_RANGE]}),
)
async def list_audit(
    _: AdminPrincipal,
    cursors: Cursors,
    limit: Limit = 50,
    cursor: Cursor = None,
    actor: Filter = None,
    action: Filter = None,
    target_type: Filter = None,
    target_id: Filter = None,
    project_id: Filter = None,
    since: Annotated[datetime | None, Query(description="Entries at or after (ISO 8601)")] = None,
    until: Annotated[datetime | None, Query(description="Entries before (ISO 8601)")] = None,
) -> AuditPage:
    query: dict[str, Any] = {
        name: value
        for name, value in {
            "actor": actor,
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
            "project_id": project_id,
        }.items()
        if value is not None
    }
    since, until = _as_utc(since), _as_utc(until)
    if since and until and since >= until:
        raise bad_request(ErrorCode.INVALID_RANGE, "`since` must be before `until`")
    if since or until:
        query["at"] = {
            **({"$gte": since} if since else {}),
            **({"$lt": until} if until else {}),
        }
    query = cursors.page_query(NEWEST_FIRST, query, cursor)
    collection = AuditEntry.get_pymongo_collection()
    found = await collection.find(query).sort(NEWEST_FIRST.mongo_sort()).limit(limit + 1).to_list()
    items = found[:limit]
    return AuditPage(
        items=[_entry_out(raw) for raw in items],
        next=cursors.encode(NEWEST_FIRST, items[-1]) if len(found) > limit else None,
    )


def _as_utc(moment: datetime | None) -> datetime | None:
    """A time without an offset is taken as UTC (the store's own times are UTC)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _entry_out(raw: dict[str, Any]) -> AuditEntryOut:
    return AuditEntryOut(
        id=str(raw["_id"]),
        **{key: raw.get(key) for key in AuditEntryOut.model_fields if key != "id"},
    )
