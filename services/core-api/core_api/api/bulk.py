"""Bulk status change: up to 500 tasks of one project, all or nothing as far as a store
without transactions allows.

1. Every task is checked first (exists in the project, transition allowed, version as
   expected when the client sent one); any problem rejects the whole request unchanged.
2. Each task is then updated only if its version is still the one checked.
3. If another writer got in between for some task, the tasks this request had already
   changed are put back (again by version, so a newer change is never overwritten) and
   the request answers 409 BULK_CONFLICT. A crash between 2 and 3 can leave part applied;
   the audit log and the versions show which.
"""

from datetime import datetime
from typing import Any

from bson import ObjectId
from fastapi import APIRouter, HTTPException, status
from pymongo import UpdateOne

from core_api import audit
from core_api.access import project_for
from core_api.deps import CurrentPrincipal, Events
from core_api.errors import ErrorCode, api_error
from core_api.models import Project, ProjectRole, Task, utc_now
from core_api.projects import audience
from core_api.schemas import BulkResult, BulkStatusChange
from core_api.tasks import TRANSITIONS, derived_fields, task_out

router = APIRouter(tags=["tasks"])

_RESTORED = ("status", "completed_at", "completed_day", "cycle_time_s", "updated_at")


@router.post(
    "/projects/{project_id}/tasks:bulk",
    summary="Set the status of up to 500 tasks at once",
    responses={409: {"description": "BULK_REJECTED (nothing changed) or BULK_CONFLICT"}},
)
async def bulk_status(
    project_id: str, body: BulkStatusChange, principal: CurrentPrincipal, bus: Events
) -> BulkResult:
    project = await project_for(principal, project_id, ProjectRole.EDITOR)
    if len(set(body.ids)) != len(body.ids):
        raise api_error(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            ErrorCode.BULK_DUPLICATE_IDS,
            "Each task id may appear once",
        )
    tasks = await Task.find(
        {"_id": {"$in": [ObjectId(i) for i in body.ids]}, "project_id": project.id}
    ).to_list()
    _reject_problems(body, {str(t.id): t for t in tasks})
    to_change = [t for t in tasks if t.status != body.status]
    now = utc_now()
    applied = await _apply(to_change, body, now)
    if len(applied) < len(to_change):
        await _put_back(applied, now)
        missed = sorted({str(t.id) for t in to_change} - {str(t.id) for t in applied})
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            {
                "code": ErrorCode.BULK_CONFLICT.value,
                "reason": "Some tasks changed during the request; nothing was kept",
                "ids": missed,
            },
        )
    await _announce(bus, principal, project, to_change, body, now)
    return BulkResult(
        updated=len(to_change), unchanged=len(tasks) - len(to_change), status=body.status
    )


def _reject_problems(body: BulkStatusChange, found: dict[str, Task]) -> None:
    problems: list[dict[str, Any]] = []
    for task_id in body.ids:
        task = found.get(task_id)
        if task is None:
            problems.append({"id": task_id, "code": ErrorCode.TASK_NOT_FOUND.value})
        elif task.status != body.status and body.status not in TRANSITIONS[task.status]:
            problems.append({"id": task_id, "code": ErrorCode.INVALID_TRANSITION.value})
        elif body.expected_versions.get(task_id, task.version) != task.version:
            problems.append({"id": task_id, "code": ErrorCode.VERSION_MISMATCH.value})
    if problems:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            {
                "code": ErrorCode.BULK_REJECTED.value,
                "reason": f"{len(problems)} of {len(body.ids)} tasks cannot change; none did",
                "problems": problems,
            },
        )


async def _apply(tasks: list[Task], body: BulkStatusChange, now: datetime) -> list[Task]:
    """Updates each task if its version is unchanged; returns those updated."""
    if not tasks:
        return []
    operations = []
    for task in tasks:
        merged = {**task.model_dump(), "status": body.status}
        changes = {"status": body.status, **derived_fields(merged, now), "updated_at": now}
        operations.append(
            UpdateOne(
                {"_id": task.id, "version": task.version}, {"$set": changes, "$inc": {"version": 1}}
            )
        )
    await Task.get_pymongo_collection().bulk_write(operations, ordered=False)
    ours = (
        await Task.get_pymongo_collection()
        .find({"_id": {"$in": [t.id for t in tasks]}, "updated_at": now}, {"_id": 1})
        .to_list()
    )
    applied_ids = {raw["_id"] for raw in ours}
    return [t for t in tasks if t.id in applied_ids]


async def _put_back(applied: list[Task], now: datetime) -> None:
    if not applied:
        return
    operations = [
        UpdateOne(
            {"_id": task.id, "version": task.version + 1, "updated_at": now},
            {"$set": {f: getattr(task, f) for f in _RESTORED}, "$inc": {"version": 1}},
        )
        for task in applied
    ]
    await Task.get_pymongo_collection().bulk_write(operations, ordered=False)


async def _announce(
    bus: Events,
    principal: CurrentPrincipal,
    project: Project,
    changed: list[Task],
    body: BulkStatusChange,
    now: datetime,
) -> None:
    entries = []
    for task in changed:
        after = task_out(task).model_copy(
            update={"status": body.status, "updated_at": now, "version": task.version + 1}
        )
        entries.append(
            audit.entry_for(
                principal,
                "task.updated",
                "task",
                str(task.id),
                task_out(task).model_dump(mode="json"),
                after.model_dump(mode="json"),
                project_id=str(project.id),
            )
        )
    await audit.record_many(entries)
    if changed:
        await bus.publish(
            "task.bulk_updated",
            {
                "project_id": str(project.id),
                "status": body.status,
                "ids": [str(t.id) for t in changed],
            },
            visible_to=audience(project),
        )
