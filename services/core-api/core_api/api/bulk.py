"""Bulk status change: up to 500 tasks of one project, all or nothing as far as a store
without transactions allows.

1. Every task is checked first (exists in the project, transition allowed, version as
   expected when the client sent one); any problem rejects the whole request unchanged.
2. All the tasks are written by the versioned-write primitive (`versioned.update_all`),
   each conditionally on its checked version. If another writer holds any of them, the
   request answers 409 BULK_CONFLICT with nothing changed.
3. A crash during the writes can leave part applied; the write intent recorded around them
   has the audit entries and statistics repaired at start-up (core_api/recovery.py).
"""

from datetime import datetime
from typing import Any

from bson import ObjectId
from fastapi import APIRouter, HTTPException, status

from core_api import audit, versioned
from core_api.access import project_for
from core_api.deps import Claims, CurrentPrincipal, Events, Intents, ObjectIdPath, RollupsDep
from core_api.errors import PROJECT_READ, ErrorCode, api_error
from core_api.models import Project, ProjectRole, Task, utc_now
from core_api.projects import audience
from core_api.recovery import UPDATED
from core_api.rollups import Delta, change
from core_api.schemas import BulkResult, BulkStatusChange
from core_api.tasks import TRANSITIONS, derived_fields, task_out
from core_api.version_claims import VersionClaims
from platform_common.errors import error_responses

router = APIRouter(tags=["tasks"])


@router.post(
    "/projects/{project_id}/tasks:bulk",
    name="tasks_bulk_status",
    summary="Set the status of up to 500 tasks at once",
    # 409 BULK_REJECTED: nothing changed; BULK_CONFLICT: some tasks changed meanwhile.
    responses=error_responses(
        PROJECT_READ,
        {
            403: [ErrorCode.PROJECT_ROLE_REQUIRED],
            409: [ErrorCode.BULK_REJECTED, ErrorCode.BULK_CONFLICT],
            422: [ErrorCode.BULK_DUPLICATE_IDS],
        },
    ),
)
async def bulk_status(
    project_id: ObjectIdPath,
    body: BulkStatusChange,
    principal: CurrentPrincipal,
    bus: Events,
    claims: Claims,
    rollups: RollupsDep,
    intents: Intents,
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
    changed = [(task, _after(task, body, now)) for task in to_change]
    versions = {before.id: before.version for before, _ in changed}
    async with intents.writing(UPDATED, project.id, versions, principal):
        async with rollups.writing(project.id):
            await _write(claims, changed)
            total = Delta()
            for before, after in changed:
                total.add(change(before, after))
            await rollups.apply(project.id, total)
        await _announce(bus, principal, project, changed, body)
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


async def _write(claims: VersionClaims, changed: list[tuple[Task, Task]]) -> None:
    """Writes every task, or none when another request holds some (409 BULK_CONFLICT)."""
    writes = [(before, {f: getattr(after, f) for f in _CHANGED}) for before, after in changed]
    try:
        await versioned.update_all(claims, versioned.TASKS, writes)
    except versioned.Contended as contended:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            {
                "code": ErrorCode.BULK_CONFLICT.value,
                "reason": "Some tasks are being changed by another request; none changed",
                "ids": sorted(str(i) for i in contended.ids),
            },
        ) from None


def _after(task: Task, body: BulkStatusChange, now: datetime) -> Task:
    merged = {**task.model_dump(), "status": body.status}
    changes = {"status": body.status, **derived_fields(merged, now), "updated_at": now}
    return task.model_copy(update={**changes, "version": task.version + 1})


_CHANGED = ("status", "completed_at", "completed_day", "cycle_time_s", "updated_at")


async def _announce(
    bus: Events,
    principal: CurrentPrincipal,
    project: Project,
    changed: list[tuple[Task, Task]],
    body: BulkStatusChange,
) -> None:
    entries = [
        audit.entry_for(
            principal,
            "task.updated",
            "task",
            str(before.id),
            task_out(before).model_dump(mode="json"),
            task_out(after).model_dump(mode="json"),
            project_id=str(project.id),
        )
        for before, after in changed
    ]
    await audit.record_many(entries)
    if changed:
        await bus.publish(
            "task.bulk_updated",
            {
                "project_id": str(project.id),
                "status": body.status,
                "ids": [str(before.id) for before, _ in changed],
            },
            visible_to=audience(project),
        )
